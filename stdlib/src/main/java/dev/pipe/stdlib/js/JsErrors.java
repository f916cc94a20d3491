package dev.pipe.stdlib.js;

import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/**
 * A JavaScript error as a person reads it: the error's message and where it happened in the
 * module, as {@code file:line:col}. Frames of pipe's own glue code and of the host are left out.
 */
final class JsErrors {
    private JsErrors() {
    }

    /** One sentence: the message and the first place in the module's file it points at. */
    static String describe(PolyglotException e, String shown) {
        String message = message(e);
        if (e.isSyntaxError() && e.getSourceLocation() != null) {
            // GraalJS says "SyntaxError: FILE:LINE:COL what", then the line and a caret: the
            // sentence keeps only the what, and says where in the usual form.
            String first = message.lines().findFirst().orElse(message);
            String prefix = "SyntaxError: " + shown + ":";
            if (first.startsWith(prefix) && first.indexOf(' ', prefix.length()) > 0) {
                first = first.substring(first.indexOf(' ', prefix.length()) + 1);
            }
            return "syntax error at " + at(e.getSourceLocation()) + ": " + first;
        }
        List<String> stack = stack(e, shown);
        if (stack.isEmpty()) {
            return message;
        }
        String first = stack.get(0);
        return message + " (at " + first.substring(first.lastIndexOf('(') + 1, first.length() - 1) + ")";
    }

    /** The stack, innermost first, one {@code at FUNCTION (file:line:col)} per frame in the module. */
    static List<String> stack(PolyglotException e, String shown) {
        List<String> out = new ArrayList<>();
        for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
            SourceSection where = f.getSourceLocation();
            if (!f.isGuestFrame() || where == null || !shown.equals(where.getSource().getName())) {
                continue;
            }
            String fn = f.getRootName() == null || f.getRootName().isEmpty() || f.getRootName().equals(":program")
                    ? "<module>" : f.getRootName();
            out.add("at " + fn + " (" + at(where) + ")");
        }
        return out;
    }

    static String at(SourceSection s) {
        return s.getSource().getName() + ":" + s.getStartLine() + ":" + s.getStartColumn();
    }

    private static String message(PolyglotException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.isGuestException() ? "the module threw an error without a message" : "JavaScript failed";
        }
        return m.strip();
    }
}
