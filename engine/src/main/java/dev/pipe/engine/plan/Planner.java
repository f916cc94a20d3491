package dev.pipe.engine.plan;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Explained;
import dev.pipe.engine.eval.ExprText;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.Value;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the {@link Plan} of a checked program for one event: which trigger accepts the event,
 * which stage instances run, skip or wait and why, in which parallel groups, behind which gates,
 * with which commands. The rules are written down for people in docs/planning.md.
 *
 * <p>The planner judges windows at the event's clock, knows no secret values and never runs
 * anything. It plans twice: once at the clock, and once without a clock to compute the
 * {@linkplain PlanDigest digest}, so that the digest does not change while a window opens.
 */
public final class Planner {
    private final SourceFile source;
    private final Program program;
    private final EventContext ctx;

    private Planner(SourceFile source, Program program, EventContext ctx) {
        this.source = source;
        this.program = program;
        this.ctx = ctx;
    }

    /**
     * Plans without the source text: messages then name triggers without their line numbers.
     *
     * @throws PlanException when the event cannot be planned (unknown input, badly typed value,
     *     a push without a branch): a usage error
     */
    public static Plan plan(Program program, EventContext ctx) {
        return plan(null, program, ctx);
    }

    /**
     * @param source the text {@code program} was parsed from, for line numbers in messages; may be null
     * @param program a program the checker found free of errors
     * @throws PlanException when the event cannot be planned (unknown input, badly typed value,
     *     a push without a branch): a usage error
     * @throws IllegalArgumentException when the program has errors the checker reports (a cycle,
     *     an unknown need, an invalid window)
     */
    public static Plan plan(SourceFile source, Program program, EventContext ctx) {
        Planner planner = new Planner(source, program, ctx);
        planner.validateEvent();
        Plan clockFree = planner.build(null);
        return planner.build(ctx.at()).withDigest(PlanDigest.of(clockFree));
    }

    /**
     * The evaluator a run uses for one stage instance of a plan: the same inputs, vars,
     * environment vars, matrix values and version as the planner's, with {@code facts} answering
     * what the plan could not know (outputs, env, run, previous, secret values).
     *
     * @param instance a stage instance of the plan made from {@code program} and {@code ctx}
     * @throws IllegalArgumentException when the program has no such stage instance
     */
    public static Evaluator evaluator(Program program, EventContext ctx, PlanStage instance, RunFacts facts) {
        Stage stage = program.stages().stream().filter(s -> s.name().name().equals(instance.stage())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the pipeline has no stage `" + instance.stage() + "`"));
        return evaluator(program, ctx, stage, instance, facts);
    }

    /**
     * {@link #evaluator(Program, EventContext, PlanStage, RunFacts)} for a caller that has the
     * instance's stage at hand: a run asks for one evaluator per stage instance, and finding the
     * stage by a scan each time made a run of thousands of stages quadratic.
     *
     * @param stage the program's stage that {@code instance} is an instance of
     */
    public static Evaluator evaluator(Program program, EventContext ctx, Stage stage, PlanStage instance, RunFacts facts) {
        Planner planner = new Planner(null, program, ctx);
        StagePlan plan = planner.new StagePlan(stage, instance.group(), Inputs.bind(program, ctx).values(), null,
                List.of(), Map.of());
        if (!Matrix.emptyAxes(stage.matrix()).isEmpty()) {
            return plan.scope(Map.of(), facts).evaluator();
        }
        for (Map<String, Value> combo : Matrix.expand(stage.matrix(), plan.scope(Map.of(), null).evaluator())) {
            Map<String, String> shown = new LinkedHashMap<>();
            combo.forEach((k, v) -> shown.put(k, v.display()));
            if (Matrix.instanceName(stage.name().name(), shown).equals(instance.name())) {
                return plan.scope(combo, facts).evaluator();
            }
        }
        throw new IllegalArgumentException("stage `" + instance.stage() + "` has no instance `" + instance.name() + "`");
    }

    /** The evaluator a run uses for the pipeline's hooks ({@code on success|failure|always}). */
    public static Evaluator hookEvaluator(Program program, EventContext ctx, RunFacts facts) {
        Planner planner = new Planner(null, program, ctx);
        return new PlanScope(ctx, Inputs.bind(program, ctx).values(), planner.pipelineVars(), Map.of(), Map.of(), null,
                null, facts).evaluator();
    }

    private void validateEvent() {
        switch (ctx.kind()) {
            case PUSH -> require(ctx.branch(), "a push needs the pushed branch: pass --branch NAME");
            case TAG -> require(ctx.tag(), "a tag push needs the tag: pass --tag NAME");
            case PULL_REQUEST -> require(ctx.branch(), "a pull request needs the branch it merges into: pass --branch NAME");
            case MANUAL, SCHEDULE -> {
            }
        }
        if (ctx.kind() != EventKind.TAG && ctx.tag() != null) {
            throw new PlanException("--tag goes with --event tag, not with " + ctx.kind().keyword());
        }
        if (ctx.kind() == EventKind.TAG && ctx.branch() != null) {
            throw new PlanException("a tag push has no branch: leave out --branch, or use --event push");
        }
    }

    private static void require(String value, String message) {
        if (value == null || value.isBlank()) {
            throw new PlanException(message);
        }
    }

    /** @param at the clock, or null for the clock-free plan the digest is computed over */
    private Plan build(Instant at) {
        Inputs.Bound inputs = Inputs.bind(program, ctx);
        Triggers.Match match = Triggers.match(program, source, ctx);
        List<String> notes = new ArrayList<>(inputs.notes());
        notes.addAll(match.notes());
        if (ctx.gitUnknown() != null) {
            notes.add("the commit's facts are not known (" + ctx.gitUnknown()
                    + "): git.* values not given as options, such as --sha, stay unknown");
        }
        List<String> problems = new ArrayList<>();
        List<String> global = new ArrayList<>();
        if (match.skipReason() != null) {
            global.add(match.skipReason());
        } else {
            for (String name : inputs.missing()) {
                String sentence = "input `" + name + "` is required for a manual run; pass --input " + name + "=VALUE";
                global.add(sentence);
                problems.add(sentence);
            }
        }
        Map<String, Integer> groups = Groups.of(program.stages());
        List<Stage> ordered = new ArrayList<>(program.stages());
        ordered.sort(Comparator.comparingInt(s -> groups.get(s.name().name())));
        Map<String, List<PlanStage>> byStage = new HashMap<>();
        List<PlanStage> stages = new ArrayList<>();
        for (Stage stage : ordered) {
            List<PlanStage> instances = new StagePlan(stage, groups.get(stage.name().name()), inputs.values(), at,
                    global, byStage).instances();
            byStage.put(stage.name().name(), instances);
            stages.addAll(instances);
        }
        PlanScope hookScope = new PlanScope(ctx, inputs.values(), pipelineVars(), Map.of(), Map.of(), null, null, null);
        Steps hookSteps = new Steps(hookScope.evaluator());
        List<Plan.Hook> hooks = program.hooks().stream()
                .map(h -> new Plan.Hook(h.kind().keyword(), hookSteps.block(h.steps()))).toList();
        Map<String, String> shownInputs = new LinkedHashMap<>();
        inputs.values().forEach((k, v) -> shownInputs.put(k, v.display()));
        Plan.Event event = new Plan.Event(ctx.kind().keyword(), ctx.describe(), ctx.branch(), ctx.tag(), shownInputs,
                ctx.changed(), at == null ? null : at.toString(), ctx.triggeredBy(), ctx.sha(), ctx.shortSha(),
                ctx.message(), ctx.author());
        String pipeline = program.name() == null ? null : program.name().name();
        return new Plan(Plan.SCHEMA, pipeline, event, match.trigger(), null, problems, notes, stages, hooks);
    }

    private Map<String, Expr> pipelineVars() {
        Map<String, Expr> vars = new LinkedHashMap<>();
        if (program.vars() != null) {
            program.vars().entries().forEach(a -> vars.put(a.name().name(), a.value()));
        }
        return vars;
    }

    /** The plan of one declared stage: its instances with their statuses. */
    private final class StagePlan {
        private final Stage stage;
        private final int group;
        private final Map<String, Result> inputs;
        private final Instant at;
        private final List<String> global;
        private final Map<String, List<PlanStage>> planned;
        private final Environment env;

        StagePlan(Stage stage, int group, Map<String, Result> inputs, Instant at, List<String> global,
                Map<String, List<PlanStage>> planned) {
            this.stage = stage;
            this.group = group;
            this.inputs = inputs;
            this.at = at;
            this.global = global;
            this.planned = planned;
            this.env = stage.deploy() == null ? null : program.environment(stage.deploy().environment().name()).orElse(null);
        }

        List<PlanStage> instances() {
            List<String> empty = Matrix.emptyAxes(stage.matrix());
            if (!empty.isEmpty()) {
                // no instance would appear at all; show the stage once, skipped, so nobody wonders where it went
                return List.of(instance(Map.of(), "matrix axis `" + empty.get(0) + "` has no values, so the stage has no instances"));
            }
            List<PlanStage> out = new ArrayList<>();
            for (Map<String, Value> combo : Matrix.expand(stage.matrix(), scope(Map.of(), null).evaluator())) {
                out.add(instance(combo, null));
            }
            return out;
        }

        private PlanScope scope(Map<String, Value> matrix, RunFacts facts) {
            Map<String, Expr> envVars = new LinkedHashMap<>();
            if (env != null && env.vars() != null) {
                env.vars().entries().forEach(a -> envVars.put(a.name().name(), a.value()));
            }
            return new PlanScope(ctx, inputs, pipelineVars(), envVars, matrix, env == null ? null : env.name().name(),
                    stage.deploy() == null ? null : stage.deploy().version(), facts);
        }

        private PlanStage instance(Map<String, Value> matrix, String emptyMatrix) {
            PlanScope scope = scope(matrix, null);
            Evaluator eval = scope.evaluator();
            Steps steps = new Steps(eval);
            List<String> reasons = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            if (stage.from() != null) {
                // Templates are expanded before planning; this is the one trace of where the stage came from.
                notes.add("made from template `" + stage.from().template().name() + "`");
            }
            PlanStage.Status status = PlanStage.Status.RUN;
            Gates.Outcome gates = env == null ? null : Gates.of(env, ctx, at);
            if (!global.isEmpty()) {
                reasons.addAll(global);
            } else if (emptyMatrix != null) {
                reasons.add(emptyMatrix);
            } else {
                needs(reasons, notes);
                if (stage.when() != null) {
                    when(eval, reasons, notes);
                }
                if (reasons.isEmpty() && gates != null) {
                    status = gates.status();
                    reasons.addAll(gates.reasons());
                }
            }
            if (!reasons.isEmpty() && status == PlanStage.Status.RUN) {
                status = PlanStage.Status.SKIP;
            }
            Map<String, String> shownMatrix = new LinkedHashMap<>();
            matrix.forEach((k, v) -> shownMatrix.put(k, v.display()));
            return new PlanStage(Matrix.instanceName(stage.name().name(), shownMatrix), stage.name().name(),
                    shownMatrix, group, status, reasons, notes, stage.needsList().stream().map(Ident::name).toList(),
                    stage.when() == null ? null : ExprText.print(stage.when()),
                    steps.runner(stage.runner()), stage.workdir() == null ? null : eval.display(stage.workdir()),
                    steps.services(stage.services()), secrets(), steps.env(stage.env()), deploy(eval),
                    gates == null ? List.of() : gates.gates(), steps.steps(stage.steps()), steps.verify(stage.verify()),
                    steps.block(stage.rollback()), steps.block(stage.finallyBlock()), steps.outputs(stage.outputs()),
                    stage.allowsFailure(), stage.timeout() == null ? null : stage.timeout().text());
        }

        private void needs(List<String> reasons, List<String> notes) {
            for (Ident need : stage.needsList()) {
                List<PlanStage> instances = planned.getOrDefault(need.name(), List.of());
                List<String> skipped = instances.stream().filter(s -> s.status() == PlanStage.Status.SKIP)
                        .map(PlanStage::name).toList();
                if (!instances.isEmpty() && skipped.size() == instances.size()) {
                    reasons.add("needs `" + need.name() + "`, which is skipped");
                    continue;
                }
                if (!skipped.isEmpty()) {
                    notes.add("needs `" + need.name() + "`, of which " + String.join(", ", skipped)
                            + (skipped.size() == 1 ? " is" : " are") + " skipped; the other instances must succeed");
                }
                if (instances.stream().anyMatch(s -> s.status() == PlanStage.Status.WAIT)) {
                    notes.add("starts after `" + need.name() + "`, which waits at a gate");
                }
            }
        }

        private void when(Evaluator eval, List<String> reasons, List<String> notes) {
            Explained ex = eval.explain(stage.when());
            String text = ExprText.print(stage.when());
            switch (ex.result()) {
                case Result.Known k when k.value() instanceof Value.Bool b -> {
                    if (b.value()) {
                        notes.add(Conditions.trueReason(stage.when(), ex));
                    } else {
                        reasons.add(Conditions.falseReason(stage.when(), ex));
                    }
                }
                case Result.Absent a -> reasons.add(Conditions.falseReason(stage.when(), ex));
                default -> notes.add("when `" + text + "` is " + Conditions.undecidedReason("the stage is ready", ex));
            }
        }

        private List<String> secrets() {
            List<String> out = new ArrayList<>();
            if (program.secrets() != null) {
                program.secrets().names().forEach(n -> out.add(n.name()));
            }
            if (env != null && env.secrets() != null) {
                env.secrets().names().stream().map(Ident::name).filter(n -> !out.contains(n)).forEach(out::add);
            }
            return out;
        }

        private PlanStage.Deploy deploy(Evaluator eval) {
            if (stage.deploy() == null) {
                return null;
            }
            String url = env == null || env.url() == null ? null : eval.display(env.url());
            Expr version = stage.deploy().version();
            String envName = stage.deploy().environment().name();
            if (version == null) {
                return new PlanStage.Deploy(envName, url, ctx.gitDescribe(), null);
            }
            Explained ex = eval.explain(version);
            return switch (ex.result()) {
                case Result.Known k -> new PlanStage.Deploy(envName, url, k.display(), null);
                case Result.Absent a -> new PlanStage.Deploy(envName, url, null, (ex.absents().isEmpty()
                        ? a.reason() : String.join(", ", ex.absents().stream().map(p -> p + " is unset").toList())));
                case Result.Unknown u -> new PlanStage.Deploy(envName, url, u.display(), u.reason());
            };
        }
    }
}
