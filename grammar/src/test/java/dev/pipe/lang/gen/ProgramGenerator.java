package dev.pipe.lang.gen;

import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Template;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random syntax trees covering every construct of the language, for property tests. The trees
 * are syntactically meaningful, not semantically valid: names are random (often keywords),
 * references dangle, types clash. Every tree is one the parser could have built, so printing
 * it and parsing the text back must give the same tree.
 *
 * <p>The grammar cannot tell where a call without arguments ends: in {@code finally { cleanup
 * notify }} the second name reads as the first call's argument, and in {@code step "s" { prune
 * allow_failure }} so does {@code allow_failure}. No text gives those trees, so the generator
 * does not build them (see {@link #readsAsArgument}).
 */
public final class ProgramGenerator extends ExprGenerator {
    public ProgramGenerator(Random random) {
        super(random, 3);
    }

    public Program program() {
        List<Program.Import> imports = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            imports.add(new Program.Import(string(), chance(50) ? ident() : null,
                    chance(20) ? List.of(ident()) : chance(10) ? List.of(ident(), ident()) : List.of(), NONE));
        }
        List<Template> templates = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            templates.add(template());
        }
        List<Trigger> triggers = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            triggers.add(trigger());
        }
        List<Environment> environments = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            environments.add(environment());
        }
        List<Stage> stages = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            stages.add(stage());
        }
        List<Program.Hook> hooks = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            hooks.add(new Program.Hook(pick(List.of(Program.HookKind.values())), block(), NONE));
        }
        Program.Secrets secrets = chance(40) ? secrets() : null;
        Program.Vars vars = chance(50) ? vars() : null;
        boolean empty = imports.isEmpty() && templates.isEmpty() && triggers.isEmpty() && environments.isEmpty() && stages.isEmpty()
                && hooks.isEmpty() && secrets == null && vars == null;
        // An empty program prints as an empty file, which is not a pipeline.
        var name = empty || chance(90) ? ident() : null;
        return new Program(name, imports, templates, triggers, secrets, vars, environments, stages, hooks, NONE);
    }

    // ------------------------------------------------------------ triggers

    private Trigger trigger() {
        return switch (r.nextInt(4)) {
            case 0 -> new Trigger.Push(filters(), NONE);
            case 1 -> new Trigger.PullRequest(filters(), NONE);
            case 2 -> {
                List<Trigger.InputDecl> inputs = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    inputs.add(new Trigger.InputDecl(ident(), inputType(), chance(50) ? expr() : null, NONE));
                }
                yield new Trigger.Manual(inputs, NONE);
            }
            default -> new Trigger.Schedule(string(), chance(50) ? string() : null, NONE);
        };
    }

    /** Each kind at most once: a repeated kind is an error and the parser keeps only the first. */
    private List<Trigger.Filter> filters() {
        List<Trigger.FilterKind> kinds = new ArrayList<>(List.of(Trigger.FilterKind.values()));
        java.util.Collections.shuffle(kinds, r);
        List<Trigger.Filter> out = new ArrayList<>();
        for (int i = r.nextInt(kinds.size() + 1); i > 0; i--) {
            out.add(new Trigger.Filter(kinds.get(i - 1), strings(3), NONE));
        }
        return out;
    }

    private Trigger.InputType inputType() {
        Trigger.InputKind kind = pick(List.of(Trigger.InputKind.values()));
        List<Expr.Str> choices = new ArrayList<>();
        if (kind == Trigger.InputKind.CHOICE) {
            choices.add(string());
            choices.addAll(strings(3));
        }
        return new Trigger.InputType(kind, choices, NONE);
    }

    private List<Expr.Str> strings(int max) {
        List<Expr.Str> out = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            out.add(string());
        }
        return out;
    }

    // ------------------------------------------------------------ vars, secrets, environments

    private Program.Secrets secrets() {
        return new Program.Secrets(idents(3), NONE);
    }

    private Program.Vars vars() {
        return new Program.Vars(assignments(), NONE);
    }

    private List<Program.Assignment> assignments() {
        List<Program.Assignment> out = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            out.add(new Program.Assignment(ident(), expr(), NONE));
        }
        return out;
    }

    private Environment environment() {
        Environment.Approval approval = null;
        if (chance(50)) {
            List<Expr.Str> approvers = chance(70) ? strings(3) : null;
            approval = new Environment.Approval(approvers, approvers == null ? null : NONE,
                    chance(60) ? number() : null, chance(60) ? duration() : null,
                    chance(50) ? new Expr.Bool(r.nextBoolean(), NONE) : null, NONE);
        }
        Environment.Window window = null;
        if (chance(50)) {
            List<Environment.Freeze> freeze = null;
            if (chance(60)) {
                freeze = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) {
                    freeze.add(new Environment.Freeze(string(), chance(50) ? string() : null, NONE));
                }
            }
            window = new Environment.Window(string(), chance(50) ? string() : null, freeze,
                    chance(50) ? pick(List.of(Environment.OutsideAction.values())) : null, NONE);
        }
        return new Environment(ident(), chance(60) ? expr() : null, chance(40) ? vars() : null,
                chance(40) ? secrets() : null, approval, window, chance(40) ? NONE : null, NONE);
    }

    // ------------------------------------------------------------ templates

    private Template template() {
        List<Template.Param> params = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            params.add(new Template.Param(ident(), inputType(), chance(50) ? expr() : null, NONE));
        }
        Template.Kind kind = pick(List.of(Template.Kind.values()));
        Stage body;
        if (kind == Template.Kind.STAGE) {
            body = stage(ident(), null);
        } else {
            List<StepItem.Step> steps = steps();
            body = new Stage(ident(), null, null, null, null, null, null, List.of(), null, null, null, null, steps,
                    null, null, null, List.of(), uses(steps.size()), NONE);
        }
        return new Template(kind, body.name(), params, body, NONE);
    }

    private List<Stage.Use> uses(int steps) {
        List<Stage.Use> out = new ArrayList<>();
        int position = 0;
        for (int i = r.nextInt(3); i > 0; i--) {
            position += r.nextInt(steps - position + 1);
            out.add(new Stage.Use(qualified(), templateArgs(), position, NONE));
        }
        return out;
    }

    private List<StepItem.NamedArg> templateArgs() {
        List<StepItem.NamedArg> args = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            args.add(new StepItem.NamedArg(ident(), expr(), NONE));
        }
        return args;
    }

    private List<StepItem.Step> steps() {
        List<StepItem.Step> steps = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            steps.add(step());
        }
        return steps;
    }

    // ------------------------------------------------------------ stages

    private Stage stage() {
        Stage.From from = chance(30) ? new Stage.From(qualified(), templateArgs(), NONE) : null;
        return stage(ident(), from);
    }

    private Stage stage(dev.pipe.lang.syntax.Ident name, Stage.From from) {
        Stage.Runner runner = null;
        if (chance(50)) {
            runner = chance(30) ? new Stage.Runner.Local(NONE)
                    : new Stage.Runner.Docker(expr(), chance(30) ? expr() : null, chance(30) ? expr() : null, NONE);
        }
        Stage.Matrix matrix = null;
        if (chance(30)) {
            List<Stage.Axis> axes = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                axes.add(new Stage.Axis(ident(), exprs(2, 3), NONE));
            }
            matrix = new Stage.Matrix(axes, NONE);
        }
        List<Stage.Service> services = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            Stage.Ready ready = chance(40) ? new Stage.Ready(expr(), chance(50) ? number() : null,
                    chance(50) ? duration() : null, NONE) : null;
            services.add(new Stage.Service(ident(), expr(), chance(40) ? assignments() : null, ready, NONE));
        }
        List<StepItem.Step> steps = steps();
        List<Stage.Output> outputs = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            outputs.add(new Stage.Output(ident(), expr(), NONE));
        }
        return new Stage(name,
                from,
                chance(50) ? new Stage.Needs(idents(3), NONE) : null,
                chance(40) ? expr() : null,
                runner,
                chance(20) ? expr() : null,
                matrix,
                services,
                chance(30) ? assignments() : null,
                chance(30) ? new Stage.Deploy(chance(20) ? new dev.pipe.lang.syntax.Ident(ident().name() + "." + ident().name(), NONE)
                        : ident(), chance(60) ? expr() : null, NONE) : null,
                chance(30) ? duration() : null,
                chance(20) ? NONE : null,
                steps,
                chance(30) ? verify() : null,
                chance(30) ? block() : null,
                chance(30) ? block() : null,
                outputs,
                uses(steps.size()),
                NONE);
    }

    private Stage.Verify verify() {
        List<Stage.Check> checks = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            if (chance(50)) {
                List<Stage.JsonAssert> json = new ArrayList<>();
                for (int j = r.nextInt(3); j > 0; j--) {
                    json.add(new Stage.JsonAssert(string(), expr(), NONE));
                }
                checks.add(new Stage.Check.Http(expr(), chance(50) ? number() : null, chance(30) ? expr() : null, json,
                        chance(30) ? duration() : null, chance(50) ? number() : null, chance(50) ? duration() : null,
                        NONE));
            } else {
                checks.add(new Stage.Check.Command(string(), call(), chance(50) ? number() : null,
                        chance(50) ? duration() : null, chance(50) ? duration() : null, NONE));
            }
        }
        return new Stage.Verify(chance(50) ? duration() : null, chance(50) ? duration() : null, checks, NONE);
    }

    private StepItem.Step step() {
        StepItem.StepCall call = call();
        Expr.Num retry = chance(30) ? number() : null;
        Expr.Dur backoff = retry != null && chance(50) ? duration() : null;
        Expr.Dur timeout = chance(30) ? duration() : null;
        List<Program.Assignment> env = chance(30) ? assignments() : null;
        Expr when = chance(30) ? expr() : null;
        boolean allowFailure = chance(25);
        if (bare(call) && retry == null && timeout == null && env == null && readsAsArgument(when, allowFailure)) {
            call = withPositional(call);
        }
        return new StepItem.Step(string(), call, retry, backoff, timeout, env, when, allowFailure, NONE);
    }

    /**
     * Whether the options printed right after a bare call would read as its argument:
     * {@code allow_failure}, {@code when (x)} (a call {@code when(x)}), {@code when allow_failure}
     * (argument {@code when}, then allow_failure) and {@code when when allow_failure}.
     */
    private static boolean readsAsArgument(Expr when, boolean allowFailure) {
        if (when == null) {
            return allowFailure;
        }
        return startsWithParen(when) || (when instanceof Expr.Ref r
                && (r.name().equals("allow_failure") || (r.name().equals("when") && allowFailure)));
    }

    private StepItem.StepCall call() {
        List<StepItem.NamedArg> args = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            args.add(new StepItem.NamedArg(ident(), expr(), NONE));
        }
        return new StepItem.StepCall(qualified(), chance(60) ? expr() : null, args, NONE);
    }

    private static boolean bare(StepItem.StepCall c) {
        return c.positional() == null && c.args().isEmpty();
    }

    private StepItem.StepCall withPositional(StepItem.StepCall c) {
        return new StepItem.StepCall(c.function(), expr(), c.args(), NONE);
    }

    /** Named steps and bare calls, as in rollback, finally and hooks. */
    private Block block() {
        List<StepItem> items = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            items.add(chance(40) ? step() : call());
        }
        for (int i = 0; i + 1 < items.size(); i++) {
            if (items.get(i) instanceof StepItem.StepCall c && bare(c) && items.get(i + 1) instanceof StepItem.StepCall) {
                items.set(i, withPositional(c));
            }
        }
        return new Block(items, NONE);
    }
}
