package dev.pipe.lang.diag;

import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.util.List;

/** One finding of a phase: what, where, and how to fix it. Diagnostics are data; rendering is separate. */
public record Diagnostic(Code code, Severity severity, String message, SourceFile source, Span span, List<String> hints) {
    public Diagnostic {
        hints = List.copyOf(hints);
    }

    public static Diagnostic of(Code code, SourceFile source, Span span, Object... args) {
        return new Diagnostic(code, code.severity(), code.format(args), source, span, List.of());
    }

    public Diagnostic withHint(String hint) {
        if (hint == null) {
            return this;
        }
        List<String> more = new java.util.ArrayList<>(hints);
        more.add(hint);
        return new Diagnostic(code, severity, message, source, span, more);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col}, or just the file when there is no span. */
    public String location() {
        if (source == null) {
            return "";
        }
        return span == null ? source.path() : source.location(span.start());
    }

    /** One line: {@code file:line:col: error[E110]: message}. */
    public String oneLine() {
        String where = location();
        return (where.isEmpty() ? "" : where + ": ") + severity.label() + "[" + code.id() + "]: " + message;
    }
}
