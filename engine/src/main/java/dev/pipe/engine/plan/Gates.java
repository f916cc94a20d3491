package dev.pipe.engine.plan;

import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.time.FreezePeriod;
import dev.pipe.lang.time.TimeSyntaxException;
import dev.pipe.lang.time.Window;
import dev.pipe.lang.time.WindowSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gates of an environment, in the order a deploying stage meets them: lock, window, approval.
 * Defaults: a window without {@code tz} is read in UTC and waits outside its hours; an approval
 * without {@code required} needs one approval, without {@code self_approval} forbids the run's
 * triggerer to approve, and without {@code expires} does not expire.
 */
public final class Gates {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmXXX");

    /**
     * @param status {@code RUN} when no gate holds the stage back, else {@code WAIT} or {@code SKIP}
     * @param reasons why the gates hold the stage back
     */
    record Outcome(List<Gate> gates, PlanStage.Status status, List<String> reasons) {
    }

    private Gates() {
    }

    /**
     * @param at the clock, or null for the clock-free form the digest is computed over: window
     *     gates then say nothing about now and hold nothing back
     */
    static Outcome of(Environment env, EventContext ctx, Instant at) {
        List<Gate> gates = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        PlanStage.Status status = PlanStage.Status.RUN;
        String name = env.name().name();
        if (env.locked()) {
            gates.add(new Gate("lock", "one deployment to " + name + " at a time", null, null));
        }
        if (env.window() != null) {
            Environment.Window w = env.window();
            boolean fail = w.outside() == Environment.OutsideAction.FAIL;
            Window window = window(w, name);
            List<String> freeze = window.freezes().stream()
                    .map(f -> f.from().equals(f.toInclusive()) ? f.from().toString() : f.from() + ".." + f.toInclusive())
                    .toList();
            String outside = fail ? "fail" : "wait";
            String describe = window.describe() + (fail ? " (outside fail)" : "");
            if (at == null) {
                gates.add(new Gate("window", describe, new Gate.WindowGate(w.spec().constantText(),
                        window.zone().getId(), freeze, outside, null, null, null, null), null));
            } else {
                boolean open = window.isOpen(at);
                LocalDate today = at.atZone(window.zone()).toLocalDate();
                boolean frozen = window.isFrozen(today);
                Optional<Instant> opens = open ? Optional.empty() : window.nextOpening(at);
                Optional<Instant> closes = open ? window.closesAt(at) : Optional.empty();
                String now;
                if (open) {
                    now = closes.map(c -> "open now, closes at " + time(c, window.zone())).orElse("open now");
                } else {
                    now = (frozen ? "closed now (frozen " + freezeOn(window, today) + ")" : "closed now")
                            + opens.map(o -> ", opens at " + time(o, window.zone())).orElse(", never opens again");
                }
                gates.add(new Gate("window", describe + ": " + now, new Gate.WindowGate(w.spec().constantText(),
                        window.zone().getId(), freeze, outside, open, frozen,
                        opens.map(o -> time(o, window.zone())).orElse(null),
                        closes.map(c -> time(c, window.zone())).orElse(null)), null));
                if (!open) {
                    String closed = "window closed" + (frozen ? " (frozen " + freezeOn(window, today) + ")" : "");
                    String next = opens.map(o -> "opens at " + time(o, window.zone()) + " (" + window.zone().getId() + ")")
                            .orElse("it never opens again, as a freeze never ends");
                    if (fail) {
                        // The stage runs and fails at this gate (unless --override-window), which the
                        // gate's summary says; the stages that need it are then skipped at run time.
                        gates.set(gates.size() - 1, new Gate("window", gates.get(gates.size() - 1).summary()
                                + "; the stage will fail here unless the window is overridden",
                                gates.get(gates.size() - 1).window(), null));
                    } else {
                        status = PlanStage.Status.WAIT;
                        reasons.add(closed + "; " + next);
                    }
                }
            }
        }
        if (env.approval() != null) {
            Gate gate = approval(env.approval(), ctx.triggeredBy());
            gates.add(gate);
            if (status == PlanStage.Status.RUN) {
                status = PlanStage.Status.WAIT;
            }
            if (status == PlanStage.Status.WAIT) {
                reasons.add(approvalReason(gate.approval(), ctx.triggeredBy()));
            }
        }
        return new Outcome(gates, status, reasons);
    }

    /** The window an environment declares, read in its time zone with its freezes. */
    public static Window window(Environment.Window w, String env) {
        try {
            ZoneId zone = w.tz() == null ? ZoneId.of("UTC") : Window.zone(w.tz().constantText());
            List<FreezePeriod> freezes = new ArrayList<>();
            if (w.freeze() != null) {
                for (Environment.Freeze f : w.freeze()) {
                    freezes.add(FreezePeriod.parse(f.from().constantText(), f.to() == null ? null : f.to().constantText()));
                }
            }
            return new Window(WindowSpec.parse(w.spec().constantText()), zone, freezes);
        } catch (TimeSyntaxException ex) {
            throw new IllegalArgumentException("the window of environment `" + env + "` is invalid (" + ex.getMessage()
                    + "); check the pipeline before planning it", ex);
        }
    }

    private static String freezeOn(Window window, LocalDate day) {
        return window.freezes().stream().filter(f -> f.contains(day)).findFirst().map(FreezePeriod::describe).orElse("");
    }

    static String time(Instant t, ZoneId zone) {
        return MINUTES.format(t.atZone(zone));
    }

    private static Gate approval(Environment.Approval a, String triggeredBy) {
        List<String> approvers = a.approvers() == null ? List.of()
                : a.approvers().stream().map(Expr.Str::constantText).toList();
        int required = a.required() == null ? 1 : a.required().value().intValue();
        boolean self = a.selfApproval() != null && a.selfApproval().value();
        String expires = a.expires() == null ? null : a.expires().text();
        List<String> eligible = self || triggeredBy == null ? approvers
                : approvers.stream().filter(p -> !p.equals(triggeredBy)).toList();
        StringBuilder summary = new StringBuilder("needs ").append(count(required)).append(' ')
                .append(approvers.isEmpty() ? "but lists no approvers" : "from " + String.join(", ", approvers));
        if (expires != null) {
            summary.append("; approvals expire after ").append(expires);
        }
        summary.append(self ? "; whoever starts the run may approve it" : "; whoever starts the run cannot approve it");
        return new Gate("approval", summary.toString(), null,
                new Gate.ApprovalGate(approvers, required, expires, self, eligible));
    }

    private static String approvalReason(Gate.ApprovalGate a, String triggeredBy) {
        if (a.approvers().isEmpty()) {
            return "needs " + count(a.required()) + " but lists no approvers, so it can never be approved";
        }
        boolean excluded = a.eligible().size() < a.approvers().size();
        String who = "needs " + count(a.required()) + " from " + String.join(", ", a.eligible());
        String because = excluded ? " (" + triggeredBy + " starts the run and cannot approve it)" : "";
        if (a.eligible().size() < a.required()) {
            return "needs " + count(a.required()) + " but only " + a.eligible().size() + " of the approvers "
                    + (a.eligible().isEmpty() ? "" : "(" + String.join(", ", a.eligible()) + ") ")
                    + "may approve" + because + ", so it can never be approved";
        }
        return who + because;
    }

    private static String count(int required) {
        return required + (required == 1 ? " approval" : " approvals");
    }
}
