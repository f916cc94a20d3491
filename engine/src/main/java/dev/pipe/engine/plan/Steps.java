package dev.pipe.engine.plan;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.ExprText;
import dev.pipe.engine.eval.Explained;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.Value;
import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns steps, checks and the other parts of a stage into their plan form, values interpolated. */
final class Steps {
    private final Evaluator eval;

    Steps(Evaluator eval) {
        this.eval = eval;
    }

    List<PlanStep> steps(List<? extends StepItem> items) {
        List<PlanStep> out = new ArrayList<>(items.size());
        for (StepItem item : items) {
            out.add(step(item));
        }
        return out;
    }

    List<PlanStep> block(Block block) {
        return block == null ? List.of() : steps(block.items());
    }

    PlanStep step(StepItem item) {
        return switch (item) {
            case StepItem.Step s -> {
                Boolean whenValue = null;
                String whenReason = null;
                if (s.when() != null) {
                    Explained ex = eval.explain(s.when());
                    if (ex.result() instanceof Result.Known k && k.value() instanceof Value.Bool b) {
                        whenValue = b.value();
                        whenReason = b.value() ? Conditions.trueReason(s.when(), ex) : Conditions.falseReason(s.when(), ex);
                    } else if (ex.result() instanceof Result.Absent) {
                        whenValue = false;
                        whenReason = Conditions.falseReason(s.when(), ex);
                    } else {
                        whenReason = "when `" + ExprText.print(s.when()) + "` is "
                                + Conditions.undecidedReason("the step runs", ex);
                    }
                }
                yield call(s.call(), eval.display(s.name()), integer(s.retry()), text(s.backoff()), text(s.timeout()),
                        env(s.env()), s.when() == null ? null : ExprText.print(s.when()), whenValue, whenReason,
                        s.allowFailure());
            }
            case StepItem.StepCall c -> call(c, null, null, null, null, Map.of(), null, null, null, false);
        };
    }

    private PlanStep call(StepItem.StepCall c, String name, Integer retry, String backoff, String timeout,
            Map<String, String> env, String when, Boolean whenValue, String whenReason, boolean allowFailure) {
        String function = c.function().name();
        String command = null;
        List<PlanStep.Arg> args = new ArrayList<>();
        if (c.positional() != null) {
            if (function.equals("sh")) {
                command = eval.display(c.positional());
            } else {
                args.add(new PlanStep.Arg(null, eval.display(c.positional())));
            }
        }
        for (StepItem.NamedArg a : c.args()) {
            if (function.equals("sh") && command == null && a.name().name().equals("command")) {
                command = eval.display(a.value());
            } else {
                args.add(new PlanStep.Arg(a.name().name(), eval.display(a.value())));
            }
        }
        return new PlanStep(name, function, command, args, retry, backoff,
                timeout, env, when, whenValue, whenReason, allowFailure);
    }

    Map<String, String> env(List<Program.Assignment> assignments) {
        Map<String, String> out = new LinkedHashMap<>();
        if (assignments != null) {
            for (Program.Assignment a : assignments) {
                out.put(a.name().name(), eval.display(a.value()));
            }
        }
        return out;
    }

    PlanStage.Runner runner(Stage.Runner runner) {
        return switch (runner) {
            case null -> PlanStage.Runner.LOCAL;
            case Stage.Runner.Local l -> PlanStage.Runner.LOCAL;
            case Stage.Runner.Docker d -> new PlanStage.Runner("docker", eval.display(d.image()),
                    d.user() == null ? null : eval.display(d.user()), d.workdir() == null ? null : eval.display(d.workdir()));
        };
    }

    List<PlanStage.Service> services(List<Stage.Service> services) {
        List<PlanStage.Service> out = new ArrayList<>();
        for (Stage.Service s : services) {
            PlanStage.Ready ready = s.ready() == null ? null : new PlanStage.Ready(eval.display(s.ready().command()),
                    integer(s.ready().retries()), text(s.ready().every()));
            out.add(new PlanStage.Service(s.name().name(), eval.display(s.image()), env(s.env()), ready));
        }
        return out;
    }

    PlanStage.Verify verify(Stage.Verify v) {
        if (v == null) {
            return null;
        }
        List<PlanStage.Check> checks = new ArrayList<>();
        for (Stage.Check c : v.checks()) {
            checks.add(switch (c) {
                case Stage.Check.Http h -> new PlanStage.Check("http", null, eval.display(h.url()), integer(h.expect()),
                        h.contains() == null ? null : eval.display(h.contains()),
                        h.json().stream().map(j -> ExprText.quote(j.path().constantText()) + " == "
                                + shown(j.value())).toList(),
                        integer(h.retries()), text(h.every()), text(h.timeout()), null);
                case Stage.Check.Command cmd -> new PlanStage.Check("command", eval.display(cmd.name()), null, null,
                        null, List.of(), integer(cmd.retries()), text(cmd.every()), text(cmd.timeout()), step(cmd.call()));
            });
        }
        return new PlanStage.Verify(text(v.soak()), text(v.every()), checks);
    }

    List<PlanStage.Output> outputs(List<Stage.Output> outputs) {
        return outputs.stream().map(o -> new PlanStage.Output(o.name().name(), eval.display(o.value()))).toList();
    }

    /** A value as a literal would write it: strings quoted, the rest as displayed. */
    private String shown(Expr e) {
        Result r = eval.evaluate(e);
        return r instanceof Result.Known k && k.value() instanceof Value.Str s ? ExprText.quote(s.value()) : r.display();
    }

    private static String text(Expr.Dur d) {
        return d == null ? null : d.text();
    }

    private static Integer integer(Expr.Num n) {
        return n == null ? null : Integer.valueOf(n.value().intValue());
    }
}
