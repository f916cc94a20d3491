package dev.pipe.lang.check;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the checker's findings. A muted report drops them: it serves inference that only wants
 * a type (a var's or an output's) without repeating the errors its own pass reports.
 */
final class Report {
    private final SourceFile source;
    private final boolean muted;
    /** Where expanded template bodies were written; null when nothing was expanded. */
    private final Regions regions;
    private final List<Entry> entries = new ArrayList<>();

    Report(SourceFile source, boolean muted) {
        this(source, muted, null);
    }

    Report(SourceFile source, boolean muted, Regions regions) {
        this.source = source;
        this.muted = muted;
        this.regions = regions;
    }

    SourceFile source() {
        return source;
    }

    boolean muted() {
        return muted;
    }

    /** Adds a finding; hints may be chained onto the returned entry. */
    Entry add(Code code, Span span, Object... args) {
        Entry e = new Entry(code, span == null ? Span.NONE : span, code.format(args));
        if (!muted) {
            entries.add(e);
        }
        return e;
    }

    /** 1-based line of a span, for "declared on line N" hints. */
    int line(Span span) {
        return regions == null ? source.line(span.start()) : regions.line(span);
    }

    /** The findings sorted by position; findings at the same place keep the order they were made in. */
    List<Diagnostic> diagnostics() {
        return diagnostics((code, span) -> true);
    }

    /** The findings {@code keep} accepts, sorted by position. */
    List<Diagnostic> diagnostics(java.util.function.BiPredicate<Code, Span> keep) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.removeIf(e -> !keep.test(e.code, e.span));
        sorted.sort(Comparator.comparingInt(e -> e.span.start()));
        List<Diagnostic> out = new ArrayList<>(sorted.size());
        for (Entry e : sorted) {
            Regions.Region region = regions == null ? null : regions.find(e.span.start());
            if (region == null) {
                out.add(new Diagnostic(e.code, e.code.severity(), e.message, source, e.span, e.hints));
            } else {
                // Written in a module: say so there, and which use of the template made it wrong.
                List<String> hints = new ArrayList<>(e.hints);
                hints.add("in " + region.note());
                out.add(new Diagnostic(e.code, e.code.severity(), e.message, region.source(), regions.local(e.span), hints));
            }
        }
        return out;
    }

    /** A finding under construction. */
    static final class Entry {
        private final Code code;
        private final Span span;
        private final String message;
        private final List<String> hints = new ArrayList<>();

        private Entry(Code code, Span span, String message) {
            this.code = code;
            this.span = span;
            this.message = message;
        }

        /** Adds a hint; null is ignored so that optional hints chain without checks. */
        Entry hint(String hint) {
            if (hint != null && !hint.isEmpty()) {
                hints.add(hint);
            }
            return this;
        }
    }
}
