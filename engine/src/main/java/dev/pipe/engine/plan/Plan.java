package dev.pipe.engine.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline would do for one event: every stage instance with run, skip or wait and the
 * reasons, in the order the stages can run, with their gates and interpolated steps. A plan
 * holds no secret values (the planner has none); secrets show as {@code ***}.
 *
 * <p>The JSON form is documented in docs/plan-schema.md; {@link PlanJson} writes it.
 *
 * @param schema version of the plan's JSON layout
 * @param pipeline the pipeline's name
 * @param event the event planned for
 * @param trigger the trigger that accepts the event ("`on push` at line 4"), or null when none does
 * @param digest SHA-256 (hex) of the plan without its clock-dependent parts; see {@link PlanDigest}
 * @param problems why the whole plan cannot run as asked (a required input is missing)
 * @param notes facts a reader should know (a paths filter was not applied because the changed
 *     files are unknown)
 * @param stages stage instances in order: by group, then as declared
 * @param hooks pipeline hooks ({@code on success|failure|always})
 */
public record Plan(
        int schema,
        String pipeline,
        Event event,
        String trigger,
        String digest,
        List<String> problems,
        List<String> notes,
        List<PlanStage> stages,
        List<Hook> hooks) {

    public static final int SCHEMA = 1;

    public Plan {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        stages = List.copyOf(stages);
        hooks = List.copyOf(hooks);
    }

    /** The stage instance with this name, such as {@code test[node=18]}. */
    public Optional<PlanStage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Number of parallel groups; groups are numbered from 1. */
    public int groupCount() {
        return stages.stream().mapToInt(PlanStage::group).max().orElse(0);
    }

    /**
     * This plan with every stage that names a container runner run on this machine instead
     * ({@code --runner local}), each saying so in a note. Stages keep their services and steps,
     * so a stage that needs a container for more than its steps still cannot run locally. The
     * digest is that of the changed plan: approvals given for one do not carry over to the other.
     */
    public Plan onThisMachine() {
        List<PlanStage> moved = stages.stream().map(s -> {
            if ("local".equals(s.runner().kind())) {
                return s;
            }
            List<String> stageNotes = new java.util.ArrayList<>(s.notes());
            stageNotes.add("runs on this machine instead of " + (s.runner().image() == null ? "on `" + s.runner().kind() + "`"
                    : "in `" + s.runner().image() + "`") + " (--runner local)");
            return new PlanStage(s.name(), s.stage(), s.matrix(), s.group(), s.status(), s.reasons(), stageNotes, s.needs(),
                    s.when(), PlanStage.Runner.LOCAL, s.workdir(), s.services(), s.secrets(), s.env(), s.deploy(), s.gates(),
                    s.steps(), s.verify(), s.rollback(), s.finallySteps(), s.outputs(), s.allowFailure(), s.timeout());
        }).toList();
        Plan clockFree = new Plan(schema, pipeline, event.withoutClock(), trigger, null, problems, notes, moved, hooks);
        return new Plan(schema, pipeline, event, trigger, PlanDigest.of(clockFree), problems, notes, moved, hooks);
    }

    Plan withDigest(String value) {
        return new Plan(schema, pipeline, event, trigger, value, problems, notes, stages, hooks);
    }

    /**
     * The event, as planned.
     *
     * @param kind {@code push}, {@code tag}, {@code pull_request}, {@code manual} or {@code schedule}
     * @param description "a push to `main`"
     * @param at the clock as ISO-8601 UTC ({@code 2026-11-24T15:00:00Z}); left out of the digest
     * @param inputs the inputs as the run will see them (given or defaulted), as text; empty unless manual
     * @param changed the changed files, or null when unknown
     */
    public record Event(
            String kind,
            String description,
            String branch,
            String tag,
            Map<String, String> inputs,
            List<String> changed,
            String at,
            String triggeredBy,
            String sha,
            String shortSha,
            String message,
            String author) {
        public Event {
            inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
            changed = changed == null ? null : List.copyOf(changed);
        }

        Event withoutClock() {
            return new Event(kind, description, branch, tag, inputs, changed, null, triggeredBy, sha, shortSha,
                    message, author);
        }
    }

    /** {@code on success|failure|always}: steps run once the run ends that way. */
    public record Hook(String on, List<PlanStep> steps) {
        public Hook {
            steps = List.copyOf(steps);
        }
    }
}
