package dev.pipe.lang.check;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;

/**
 * Everything written inside a stage, each expression checked in the place it is written: stage
 * settings see no step outputs, a step sees the steps before it, verify checks and outputs see
 * all main steps, rollback and finally see the main steps and their own earlier steps.
 */
final class Stages {
    private final Model m;
    private final Report r;
    private final Exprs exprs;
    private final Steps steps;

    Stages(Model model, Exprs exprs) {
        this.m = model;
        this.r = model.report;
        this.exprs = exprs;
        this.steps = new Steps(model, exprs);
    }

    void check(StageFacts f) {
        Stage s = f.stage();
        Scope base = new Scope(Scope.Place.CONDITION, f, false, f.environment(), null);
        if (s.when() != null) {
            exprs.condition(s.when(), base);
        }
        runner(s.runner(), base);
        if (s.workdir() != null) {
            exprs.expect(s.workdir(), base.at(Scope.Place.WORKDIR), Type.STRING, "a workdir");
        }
        matrix(s.matrix(), base);
        for (Stage.Service service : s.services()) {
            service(service, base);
        }
        steps.env(s.env(), base);
        if (s.deploy() != null && s.deploy().version() != null) {
            exprs.expect(s.deploy().version(), base.at(Scope.Place.VERSION), Type.STRING, "a version");
        }
        Values.positive(r, s.timeout(), "a timeout");
        for (int i = 0; i < s.steps().size(); i++) {
            steps.item(s.steps().get(i), base.withSteps(new Scope.StepView(f.steps(), StepFacts.Section.MAIN, i)));
        }
        Scope after = base.withSteps(Scope.StepView.afterMain(f.steps()));
        if (s.verify() != null) {
            verify(s.verify(), after);
        }
        if (s.rollback() != null && s.deploy() == null) {
            r.add(Code.ROLLBACK_WITHOUT_DEPLOY, keywordBefore(s.rollback().span(), "rollback"), f.name())
                    .hint("add `deploy to ENV`, or move these steps into `finally` if they should always run");
        }
        steps.block(s.rollback(), base, f.steps(), StepFacts.Section.ROLLBACK);
        steps.block(s.finallyBlock(), base, f.steps(), StepFacts.Section.FINALLY);
        for (Stage.Output o : s.outputs()) {
            exprs.infer(o.value(), after.at(Scope.Place.OUTPUT));
        }
    }

    private void runner(Stage.Runner runner, Scope base) {
        if (runner instanceof Stage.Runner.Docker d) {
            exprs.expect(d.image(), base.at(Scope.Place.RUNNER), Type.STRING, "a runner image");
            if (d.user() != null) {
                exprs.expect(d.user(), base.at(Scope.Place.RUNNER), Type.STRING, "a runner user");
            }
            if (d.workdir() != null) {
                exprs.expect(d.workdir(), base.at(Scope.Place.WORKDIR), Type.STRING, "a workdir");
            }
        }
    }

    private void matrix(Stage.Matrix matrix, Scope base) {
        if (matrix == null) {
            return;
        }
        for (Stage.Axis axis : matrix.axes()) {
            if (axis.values().isEmpty()) {
                r.add(Code.INVALID_VALUE, axis.name().span(), "matrix axis `" + axis.name().name()
                        + "` has no values, so the stage would never run")
                        .hint("list at least one value, as in `" + axis.name().name() + " [\"a\", \"b\"]`");
            }
            for (Expr value : axis.values()) {
                Type t = exprs.infer(value, base.at(Scope.Place.MATRIX));
                if (t == Type.LIST) {
                    r.add(Code.TYPE_MISMATCH, value.span(), "a matrix value must be a single value, not a list");
                }
            }
        }
    }

    private void service(Stage.Service service, Scope base) {
        exprs.expect(service.image(), base.at(Scope.Place.SERVICE), Type.STRING, "a service image");
        steps.env(service.env(), base);
        Stage.Ready ready = service.ready();
        if (ready != null) {
            exprs.expect(ready.command(), base.at(Scope.Place.READY), Type.STRING, "a ready command");
            Values.count(r, ready.retries(), "`retries`");
            Values.positive(r, ready.every(), "an interval");
            unusedEvery(ready.retries(), ready.every());
        }
    }

    private void verify(Stage.Verify verify, Scope after) {
        Values.duration(r, verify.soak());
        Values.positive(r, verify.every(), "an interval");
        for (Stage.Check check : verify.checks()) {
            switch (check) {
                case Stage.Check.Http h -> {
                    exprs.expect(h.url(), after.at(Scope.Place.URL), Type.STRING, "a url");
                    Values.status(r, h.expect());
                    if (h.contains() != null) {
                        exprs.expect(h.contains(), after.at(Scope.Place.CHECK), Type.STRING, "the text to look for");
                    }
                    for (Stage.JsonAssert json : h.json()) {
                        Values.constant(r, json.path(), "a json path");
                        exprs.infer(json.value(), after.at(Scope.Place.CHECK));
                    }
                    Values.positive(r, h.timeout(), "a timeout");
                    Values.count(r, h.retries(), "`retries`");
                    Values.positive(r, h.every(), "an interval");
                    unusedEvery(h.retries(), h.every());
                }
                case Stage.Check.Command c -> {
                    String name = Values.constant(r, c.name(), "a check name");
                    if (name != null && name.isBlank()) {
                        r.add(Code.INVALID_VALUE, c.name().span(), "a check name cannot be empty");
                    }
                    steps.call(c.call(), after.at(Scope.Place.STEP_ARGUMENT));
                    Values.count(r, c.retries(), "`retries`");
                    Values.positive(r, c.every(), "an interval");
                    Values.positive(r, c.timeout(), "a timeout");
                    unusedEvery(c.retries(), c.every());
                }
            }
        }
    }

    private void unusedEvery(Expr.Num retries, Expr.Dur every) {
        if (every != null && Values.zero(retries)) {
            r.add(Code.UNUSED_VALUE, every.span(), "`every` has no effect with `retries 0`")
                    .hint("remove it, or retry at least once");
        }
    }

    /** Hooks: their steps see only pipeline secrets and their own earlier steps. */
    void hook(Program.Hook hook) {
        Scope scope = new Scope(Scope.Place.STEP_ARGUMENT, null, true, null, null);
        steps.block(hook.steps(), scope, m.hookSteps(hook.steps()), StepFacts.Section.HOOK);
    }

    /** The keyword written just before a block, such as {@code rollback} before its {@code {}}. */
    private Span keywordBefore(Span block, String keyword) {
        String text = m.source.text();
        int end = Math.min(block.start(), text.length());
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        int start = end - keyword.length();
        if (start >= 0 && text.startsWith(keyword, start)) {
            return new Span(start, end);
        }
        return new Span(block.start(), Math.min(block.start() + 1, Math.max(block.start(), text.length())));
    }
}
