package dev.pipe.lang.check;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Span;
import java.util.List;

/**
 * Stages that can never run: a condition that folds to false, that requires an event no trigger
 * starts, or a git tag while no trigger runs on tags; and, in need order, every stage that needs
 * such a stage.
 */
final class Reach {
    private final Model m;
    private final Fold fold;

    Reach(Model model) {
        this.m = model;
        this.fold = new Fold(model);
    }

    private record Never(String why, Span at) {
    }

    void check() {
        boolean[] never = new boolean[m.stages.size()];
        for (int v : m.graph.order()) {
            StageFacts f = m.stages.get(v);
            Never reason = f.stage().when() == null ? null : condition(f.stage().when());
            if (reason == null) {
                for (Ident need : m.needs.get(v)) {
                    StageFacts target = m.stagesByName.get(need.name());
                    if (never[target.index()]) {
                        reason = new Never("it needs `" + need.name() + "`, which can never run", need.span());
                        break;
                    }
                }
            }
            if (reason != null) {
                never[v] = true;
                m.report.add(Code.STAGE_NEVER_RUNS, reason.at(), f.name(), reason.why());
            }
        }
    }

    private Never condition(Expr when) {
        if (Boolean.FALSE.equals(fold.constant(when))) {
            return new Never("its condition is always false", when.span());
        }
        return conjunct(when);
    }

    /** Why a condition cannot hold, looking through `&&` (either side) and `||` (both sides). */
    private Never conjunct(Expr e) {
        while (e instanceof Expr.Paren p) {
            e = p.inner();
        }
        if (Boolean.FALSE.equals(fold.constant(e))) {
            return new Never("its condition is always false", e.span());
        }
        if (!(e instanceof Expr.Binary b)) {
            return null;
        }
        switch (b.op()) {
            case AND -> {
                Never left = conjunct(b.left());
                return left != null ? left : conjunct(b.right());
            }
            case OR -> {
                Never left = conjunct(b.left());
                Never right = left == null ? null : conjunct(b.right());
                if (right == null) {
                    return null;
                }
                return new Never(left.why().equals(right.why()) ? left.why() : left.why() + ", and " + right.why(), b.span());
            }
            case EQ -> {
                Never tag = tag(b.left(), b);
                tag = tag != null ? tag : tag(b.right(), b);
                Never event = tag != null ? tag : event(b.left(), b.right());
                return event != null ? event : event(b.right(), b.left());
            }
            case MATCH -> {
                return tag(b.left(), b);
            }
            default -> {
                return null;
            }
        }
    }

    private Never event(Expr subject, Expr value) {
        if (m.program.triggers().isEmpty()) {
            return null;
        }
        List<String> path = Expr.path(subject);
        if (path == null || !path.equals(List.of("event")) || !(fold.constant(value) instanceof String name)
                || !Model.EVENTS.contains(name) || m.events.contains(name)) {
            return null;
        }
        String trigger = switch (name) {
            case "tag" -> "no `on push` trigger runs on tags";
            case "push" -> "no `on push` trigger runs on branches";
            default -> "no `on " + name + "` trigger is declared";
        };
        return new Never("it requires event `" + name + "`, but " + trigger, value.span());
    }

    private Never tag(Expr subject, Expr at) {
        if (m.program.triggers().isEmpty() || m.events.contains("tag")) {
            return null;
        }
        List<String> path = Expr.path(subject);
        if (path == null || !path.equals(List.of("git", "tag"))) {
            return null;
        }
        return new Never("it requires a git tag, but no trigger runs on tags", at.span());
    }
}
