package dev.pipe.engine.plan;

import dev.pipe.engine.eval.ExprText;
import dev.pipe.engine.eval.Explained;
import dev.pipe.engine.eval.Result;
import dev.pipe.lang.syntax.Expr;
import java.util.List;

/** The sentences a plan uses for conditions. */
final class Conditions {
    private Conditions() {
    }

    /** "when `event == manual` is false: event = push" */
    static String falseReason(Expr when, Explained ex) {
        String seen = ex.describeSeen();
        return "when `" + ExprText.print(when) + "` is false" + (seen.isEmpty() ? "" : ": " + seen);
    }

    /** "when `event == push` is true: event = push" */
    static String trueReason(Expr when, Explained ex) {
        String seen = ex.describeSeen();
        return "when `" + ExprText.print(when) + "` is true" + (seen.isEmpty() ? "" : ": " + seen);
    }

    /** "decided when the stage is ready: depends on stages.image.digest" */
    static String undecidedReason(String moment, Explained ex) {
        List<String> unknowns = ex.unknowns();
        String why = unknowns.isEmpty() && ex.result() instanceof Result.Unknown u ? u.reason()
                : "depends on " + String.join(", ", unknowns);
        return "decided when " + moment + ": " + why;
    }
}
