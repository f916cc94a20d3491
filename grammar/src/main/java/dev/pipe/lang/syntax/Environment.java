package dev.pipe.lang.syntax;

import java.util.List;

/**
 * {@code environment NAME { url, vars, secrets, approval, window, lock }}: a place that stages
 * deploy to, and the governance that guards it.
 */
public record Environment(
        Ident name,
        Expr url,
        Program.Vars vars,
        Program.Secrets secrets,
        Approval approval,
        Window window,
        Span lock,
        Span span) {

    public boolean locked() {
        return lock != null;
    }

    /** {@code approval { approvers [...] required N expires D self_approval BOOL }}; absent settings are null. */
    public record Approval(
            List<Expr.Str> approvers, Span approversSpan,
            Expr.Num required, Expr.Dur expires, Expr.Bool selfApproval, Span span) {
        public Approval {
            approvers = approvers == null ? null : List.copyOf(approvers);
        }
    }

    /** {@code window "SPEC" [tz "Zone"] [freeze [...]] [outside wait|fail]} */
    public record Window(Expr.Str spec, Expr.Str tz, List<Freeze> freeze, OutsideAction outside, Span span) {
        public Window {
            freeze = freeze == null ? null : List.copyOf(freeze);
        }
    }

    /** A freeze date, or an inclusive range {@code "from".."to"}. */
    public record Freeze(Expr.Str from, Expr.Str to, Span span) {
    }

    public enum OutsideAction {
        WAIT, FAIL;

        public String keyword() {
            return this == WAIT ? "wait" : "fail";
        }
    }
}
