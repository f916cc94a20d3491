package dev.pipe.lang.parse;

import dev.pipe.lang.antlr.PipeParser;
import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link Stage} records: the largest grammar area, kept apart from the rest of the file. */
final class StageBuilder {
    private final AstBuilder b;

    StageBuilder(AstBuilder builder) {
        this.b = builder;
    }

    Stage stage(PipeParser.StageDeclContext ctx) {
        Ident name = b.ident(ctx.ident());
        Stage.From from = null;
        if (ctx.FROM() != null) {
            List<StepItem.NamedArg> args = new ArrayList<>();
            for (PipeParser.TemplateArgContext a : ctx.templateArg()) {
                args.add(arg(a));
            }
            from = new Stage.From(b.qualified(ctx.qualifiedName()), args, ExprBuilder.span(ctx));
        }
        return stage(name, from, ctx.stageItem(), "stage `" + name.name() + "`", ExprBuilder.span(ctx));
    }

    StepItem.NamedArg arg(PipeParser.TemplateArgContext a) {
        return new StepItem.NamedArg(b.ident(a.ident()), b.expr(a.expr()), ExprBuilder.span(a));
    }

    /** The settings of a stage, or of a template's body. */
    Stage stage(Ident name, Stage.From from, List<PipeParser.StageItemContext> items, String where, Span stageSpan) {
        Stage.Needs needs = null;
        Expr when = null;
        Stage.Runner runner = null;
        Expr workdir = null;
        Stage.Matrix matrix = null;
        List<Stage.Service> services = new ArrayList<>();
        List<Program.Assignment> env = null;
        Stage.Deploy deploy = null;
        Expr.Dur timeout = null;
        Span allowFailure = null;
        List<StepItem.Step> steps = new ArrayList<>();
        Stage.Verify verify = null;
        Block rollback = null;
        Block finallyBlock = null;
        List<Stage.Output> outputs = new ArrayList<>();
        List<Stage.Use> uses = new ArrayList<>();
        for (PipeParser.StageItemContext item : items) {
            Span span = ExprBuilder.span(item);
            switch (item) {
                case PipeParser.StageNeedsContext n -> {
                    List<Ident> names = new ArrayList<>();
                    for (PipeParser.IdentContext i : n.identList().ident()) {
                        names.add(b.ident(i));
                    }
                    needs = b.once(needs, new Stage.Needs(names, span), "needs", where, span);
                }
                case PipeParser.StageWhenContext w -> when = b.once(when, b.expr(w.expr()), "when", where, span);
                case PipeParser.StageRunnerLocalContext ignored ->
                        runner = b.once(runner, new Stage.Runner.Local(span), "runner", where, span);
                case PipeParser.StageRunnerDockerContext d -> runner = b.once(runner, docker(d, span), "runner", where, span);
                case PipeParser.StageWorkdirContext w ->
                        workdir = b.once(workdir, b.expr(w.expr()), "workdir", where, span);
                case PipeParser.StageMatrixContext m -> {
                    List<Stage.Axis> axes = new ArrayList<>();
                    for (PipeParser.MatrixAxisContext a : m.matrixAxis()) {
                        axes.add(new Stage.Axis(b.ident(a.ident()), b.exprs(a.expr()), ExprBuilder.span(a)));
                    }
                    matrix = b.once(matrix, new Stage.Matrix(axes, span), "matrix", where, span);
                }
                case PipeParser.StageServiceContext s -> services.add(service(s.serviceDecl()));
                case PipeParser.StageEnvContext e ->
                        env = b.once(env, b.assignments(e.envBlock().assignment()), "env", where, span);
                case PipeParser.StageDeployContext d -> deploy = b.once(deploy,
                        new Stage.Deploy(target(d.deployTarget()), b.expr(d.expr()), span), "deploy", where, span);
                case PipeParser.StageStepContext s -> steps.add(b.step(s.stepDecl()));
                case PipeParser.StageVerifyContext v -> verify = b.once(verify, verify(v.verifyBlock()), "verify", where, span);
                case PipeParser.StageRollbackContext r ->
                        rollback = b.once(rollback, b.block(r.stepBlock()), "rollback", where, span);
                case PipeParser.StageFinallyContext f ->
                        finallyBlock = b.once(finallyBlock, b.block(f.stepBlock()), "finally", where, span);
                case PipeParser.StageOutputContext o ->
                        outputs.add(new Stage.Output(b.ident(o.ident()), b.expr(o.expr()), span));
                case PipeParser.StageAllowFailureContext ignored ->
                        allowFailure = b.once(allowFailure, span, "allow_failure", where, span);
                case PipeParser.StageTimeoutContext t ->
                        timeout = b.once(timeout, b.duration(t.duration()), "timeout", where, span);
                case PipeParser.StageUseContext u -> {
                    List<StepItem.NamedArg> args = new ArrayList<>();
                    for (PipeParser.TemplateArgContext a : u.templateArg()) {
                        args.add(arg(a));
                    }
                    uses.add(new Stage.Use(b.qualified(u.qualifiedName()), args, steps.size(), span));
                }
                default -> throw new IllegalStateException(item.getClass().getName());
            }
        }
        return new Stage(name, from, needs, when, runner, workdir, matrix, services, env, deploy, timeout, allowFailure,
                steps, verify, rollback, finallyBlock, outputs, uses, stageSpan);
    }

    /** {@code deploy to ENV}, or {@code deploy to params.NAME} in a template: kept as one dotted name. */
    private Ident target(PipeParser.DeployTargetContext ctx) {
        if (ctx.ident().size() == 1) {
            return b.ident(ctx.ident(0));
        }
        return new Ident(ctx.ident(0).getText() + "." + ctx.ident(1).getText(), ExprBuilder.span(ctx));
    }

    private Stage.Runner docker(PipeParser.StageRunnerDockerContext ctx, Span span) {
        Expr user = null;
        Expr workdir = null;
        for (PipeParser.DockerOptionContext option : ctx.dockerOption()) {
            Span s = ExprBuilder.span(option);
            switch (option) {
                case PipeParser.DockerUserContext u -> user = b.once(user, b.expr(u.expr()), "user", "runner docker", s);
                case PipeParser.DockerWorkdirContext w ->
                        workdir = b.once(workdir, b.expr(w.expr()), "workdir", "runner docker", s);
                default -> throw new IllegalStateException(option.getClass().getName());
            }
        }
        return new Stage.Runner.Docker(b.expr(ctx.expr()), user, workdir, span);
    }

    private Stage.Service service(PipeParser.ServiceDeclContext ctx) {
        Ident name = b.ident(ctx.ident());
        String where = "service `" + name.name() + "`";
        List<Program.Assignment> env = null;
        Stage.Ready ready = null;
        for (PipeParser.ServiceItemContext item : ctx.serviceItem()) {
            Span span = ExprBuilder.span(item);
            switch (item) {
                case PipeParser.ServiceEnvContext e ->
                        env = b.once(env, b.assignments(e.envBlock().assignment()), "env", where, span);
                case PipeParser.ServiceReadyContext r -> ready = b.once(ready, new Stage.Ready(b.expr(r.expr()),
                        r.NUMBER() == null ? null : b.number(r.NUMBER()), b.duration(r.duration()), span),
                        "ready", where, span);
                default -> throw new IllegalStateException(item.getClass().getName());
            }
        }
        return new Stage.Service(name, b.expr(ctx.expr()), env, ready, ExprBuilder.span(ctx));
    }

    private Stage.Verify verify(PipeParser.VerifyBlockContext ctx) {
        Expr.Dur soak = null;
        Expr.Dur every = null;
        // `verify for D every D`: both optional, order fixed by the grammar.
        for (int i = 0; i < ctx.getChildCount(); i++) {
            if (ctx.getChild(i) instanceof PipeParser.DurationContext d) {
                var prev = ctx.getChild(i - 1).getText();
                if (prev.equals("for")) {
                    soak = b.duration(d);
                } else {
                    every = b.duration(d);
                }
            }
        }
        List<Stage.Check> checks = new ArrayList<>();
        for (PipeParser.VerifyCheckContext c : ctx.verifyCheck()) {
            checks.add(switch (c) {
                case PipeParser.HttpCheckContext h -> http(h);
                case PipeParser.CommandCheckContext cc -> command(cc);
                default -> throw new IllegalStateException(c.getClass().getName());
            });
        }
        return new Stage.Verify(soak, every, checks, ExprBuilder.span(ctx));
    }

    private Stage.Check http(PipeParser.HttpCheckContext ctx) {
        String where = "http check";
        Expr.Num expect = null;
        Expr contains = null;
        List<Stage.JsonAssert> json = new ArrayList<>();
        Expr.Dur timeout = null;
        Expr.Num retries = null;
        Expr.Dur every = null;
        for (PipeParser.HttpOptionContext option : ctx.httpOption()) {
            Span span = ExprBuilder.span(option);
            switch (option) {
                case PipeParser.HttpExpectContext e -> expect = b.once(expect, b.number(e.NUMBER()), "expect", where, span);
                case PipeParser.HttpContainsContext c ->
                        contains = b.once(contains, b.expr(c.expr()), "contains", where, span);
                case PipeParser.HttpJsonContext j -> json.add(new Stage.JsonAssert(b.string(j.string()), b.expr(j.expr()), span));
                case PipeParser.HttpTimeoutContext t ->
                        timeout = b.once(timeout, b.duration(t.duration()), "timeout", where, span);
                case PipeParser.HttpRetriesContext r -> retries = b.once(retries, b.number(r.NUMBER()), "retries", where, span);
                case PipeParser.HttpEveryContext e -> every = b.once(every, b.duration(e.duration()), "every", where, span);
                default -> throw new IllegalStateException(option.getClass().getName());
            }
        }
        return new Stage.Check.Http(b.expr(ctx.expr()), expect, contains, json, timeout, retries, every,
                ExprBuilder.span(ctx));
    }

    private Stage.Check command(PipeParser.CommandCheckContext ctx) {
        String where = "check";
        Expr.Num retries = null;
        Expr.Dur every = null;
        Expr.Dur timeout = null;
        for (PipeParser.CheckOptionContext option : ctx.checkOption()) {
            Span span = ExprBuilder.span(option);
            switch (option) {
                case PipeParser.CheckRetriesContext r -> retries = b.once(retries, b.number(r.NUMBER()), "retries", where, span);
                case PipeParser.CheckEveryContext e -> every = b.once(every, b.duration(e.duration()), "every", where, span);
                case PipeParser.CheckTimeoutContext t ->
                        timeout = b.once(timeout, b.duration(t.duration()), "timeout", where, span);
                default -> throw new IllegalStateException(option.getClass().getName());
            }
        }
        return new Stage.Check.Command(b.string(ctx.string()), b.call(ctx.call()), retries, every, timeout,
                ExprBuilder.span(ctx));
    }
}
