package dev.pipe.engine.run;

import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.StageStatus;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives a whole run: schedules the plan's stage instances with {@link DagScheduler}, hands
 * each one to a {@link StageWork}, and journals every stage's start and end before acting on
 * it. Stages the plan skips are skipped with the plan's reasons; stages finished in an earlier
 * attempt of the run (a resume) are not run again.
 */
public final class RunEngine {
    /** What a stage instance produced. */
    public record StageResult(DagScheduler.Result result, Map<String, String> outputs) {
        public StageResult {
            outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        }
    }

    /** Runs the steps of one stage instance; the outputs of its needs are in {@code needOutputs}. */
    @FunctionalInterface
    public interface StageWork {
        StageResult run(PlanStage stage, Map<String, Map<String, String>> needOutputs, Cancellation cancel)
                throws InterruptedException;
    }

    /**
     * Runs one of the pipeline's hooks once every stage is done.
     *
     * @param name the hook's name in the journal: {@code on success}, {@code on failure 2}...
     * @param index the hook's position among the pipeline's hooks
     * @param status how the stages ended
     * @param failedStage the first stage instance (in plan order) whose failure fails the run, or null
     */
    @FunctionalInterface
    public interface HookWork {
        StageResult run(String name, int index, RunStatus status, String failedStage, Cancellation cancel)
                throws InterruptedException;

        HookWork NONE = (name, index, status, failedStage, cancel) -> {
            throw new IllegalStateException("this run has no way to run hooks");
        };
    }

    /** Told of stage changes after they are journaled, for consoles and reports. */
    public interface Events {
        default void stageStarted(PlanStage stage) {
        }

        default void stageFinished(PlanStage stage, DagScheduler.Result result) {
        }

        default void hookStarted(String name) {
        }

        default void hookFinished(String name, DagScheduler.Result result) {
        }
    }

    /**
     * How the run ended and each stage instance's result, in plan order, then each hook's that
     * ran. A hook's failure does not change the run's status.
     */
    public record Outcome(RunStatus status, Map<String, DagScheduler.Result> stages,
            Map<String, DagScheduler.Result> hooks) {
        public Outcome(RunStatus status, Map<String, DagScheduler.Result> stages) {
            this(status, stages, Map.of());
        }
    }

    private RunEngine() {
    }

    /**
     * @param resumed results and outputs of stage instances that finished in an earlier attempt
     */
    public static Outcome execute(Plan plan, Journal journal, StageWork work, Events events, int parallel,
            boolean failFast, Cancellation cancel, Map<String, StageResult> resumed) throws InterruptedException {
        return execute(plan, journal, work, events, parallel, failFast, cancel, resumed, Map.of());
    }

    /**
     * @param leftOut stage instances the user left out ({@code --only}, {@code --from}), each with
     *     the sentence that says so; stages that need them run without them
     */
    public static Outcome execute(Plan plan, Journal journal, StageWork work, Events events, int parallel,
            boolean failFast, Cancellation cancel, Map<String, StageResult> resumed, Map<String, String> leftOut)
            throws InterruptedException {
        return execute(plan, journal, work, HookWork.NONE, events, parallel, failFast, cancel, resumed, leftOut);
    }

    /**
     * Runs the stages, then the hooks that apply to how they ended, in file order: {@code on
     * success} after a run that succeeded, {@code on failure} after one that failed, {@code on
     * always} after either and after a cancelled one. Each hook is journaled like a stage named
     * {@code on KIND} (numbered from the second hook of a kind), so a resume does not run a
     * finished hook again. When the run was cancelled, hooks run under a cancellation of their
     * own, like {@code finally} steps.
     *
     * @param resumed results of stage instances and hooks that finished in an earlier attempt
     */
    public static Outcome execute(Plan plan, Journal journal, StageWork work, HookWork hookWork, Events events,
            int parallel, boolean failFast, Cancellation cancel, Map<String, StageResult> resumed,
            Map<String, String> leftOut) throws InterruptedException {
        return execute(plan, journal, work, hookWork, events, parallel, failFast, cancel, resumed, leftOut, () -> {
        });
    }

    /**
     * @param begin run once everything is set up, right before the first stage can start: the
     *     caller journals the run's start there, so that setting up is not counted in the run
     */
    public static Outcome execute(Plan plan, Journal journal, StageWork work, HookWork hookWork, Events events,
            int parallel, boolean failFast, Cancellation cancel, Map<String, StageResult> resumed,
            Map<String, String> leftOut, Runnable begin) throws InterruptedException {
        List<String> hookNames = hookNames(plan);
        Map<String, StageResult> resumedHooks = new LinkedHashMap<>();
        Map<String, StageResult> resumedStages = new LinkedHashMap<>();
        resumed.forEach((name, r) -> (hookNames.contains(name) ? resumedHooks : resumedStages).put(name, r));
        resumed = resumedStages;
        Map<String, PlanStage> byName = new LinkedHashMap<>();
        plan.stages().forEach(s -> byName.put(s.name(), s));
        Map<String, Map<String, String>> outputs = new ConcurrentHashMap<>();
        Map<String, DagScheduler.Result> prior = new LinkedHashMap<>();
        resumed.forEach((name, r) -> {
            prior.put(name, r.result());
            outputs.put(name, r.outputs());
        });
        DagScheduler scheduler = new DagScheduler(PlanGraph.nodes(plan), parallel, failFast);
        DagScheduler.NodeRunner runner = (node, needs) -> {
            PlanStage stage = byName.get(node.name());
            if (leftOut.containsKey(node.name())) {
                return new DagScheduler.Result(DagScheduler.Outcome.NOT_SELECTED, leftOut.get(node.name()));
            }
            if (stage.status() == PlanStage.Status.SKIP) {
                return new DagScheduler.Result(DagScheduler.Outcome.SKIPPED, String.join("; ", stage.reasons()));
            }
            Map<String, Map<String, String>> needOutputs = new LinkedHashMap<>();
            for (String need : node.needs()) {
                needOutputs.put(need, outputs.getOrDefault(need, Map.of()));
            }
            StageResult r = work.run(stage, needOutputs, cancel);
            outputs.put(node.name(), r.outputs());
            return r.result();
        };
        DagScheduler.Listener listener = new DagScheduler.Listener() {
            @Override
            public void started(DagScheduler.Node node) {
                if (leftOut.containsKey(node.name()) || byName.get(node.name()).status() == PlanStage.Status.SKIP) {
                    // Nothing of it runs: its finish says why.
                    return;
                }
                journal.append(new JournalEvent.StageStarted(node.name()));
                events.stageStarted(byName.get(node.name()));
            }

            @Override
            public void finished(DagScheduler.Node node, DagScheduler.Result result) {
                if (result.outcome() == DagScheduler.Outcome.WAITING) {
                    // Not over: the stage said at which gate it waits; a resume runs it again.
                    events.stageFinished(byName.get(node.name()), result);
                    return;
                }
                journal.append(new JournalEvent.StageFinished(node.name(), status(result.outcome()), result.reason(),
                        outputs.getOrDefault(node.name(), Map.of())));
                events.stageFinished(byName.get(node.name()), result);
            }
        };
        begin.run();
        Map<String, DagScheduler.Result> results = scheduler.run(runner, listener, cancel, prior);
        RunStatus status = runStatus(results, byName, cancel);
        if (status == RunStatus.WAITING) {
            List<String> why = new java.util.ArrayList<>();
            results.forEach((name, r) -> {
                if (r.outcome() == DagScheduler.Outcome.WAITING && !r.reason().startsWith("needs `")) {
                    why.add("stage `" + name + "` " + r.reason());
                }
            });
            journal.append(new JournalEvent.RunWaiting(String.join("; ", why)));
            return new Outcome(status, results, Map.of());
        }
        Map<String, DagScheduler.Result> hooks = new LinkedHashMap<>();
        String failedStage = results.entrySet().stream()
                .filter(e -> e.getValue().outcome() == DagScheduler.Outcome.FAILED && !byName.get(e.getKey()).allowFailure())
                .map(Map.Entry::getKey).findFirst().orElse(null);
        Cancellation hookCancel = status == RunStatus.CANCELLED ? new Cancellation() : cancel;
        for (int i = 0; i < plan.hooks().size(); i++) {
            String on = plan.hooks().get(i).on();
            boolean applies = on.equals("always") || (on.equals("success") && status == RunStatus.SUCCEEDED)
                    || (on.equals("failure") && status == RunStatus.FAILED);
            String name = hookNames.get(i);
            if (!applies) {
                continue;
            }
            StageResult done = resumedHooks.get(name);
            if (done != null) {
                hooks.put(name, done.result());
                continue;
            }
            journal.append(new JournalEvent.StageStarted(name));
            events.hookStarted(name);
            DagScheduler.Result r;
            try {
                r = hookWork.run(name, i, status, failedStage, hookCancel).result();
            } catch (RuntimeException e) {
                r = new DagScheduler.Result(DagScheduler.Outcome.FAILED, "pipe could not run the hook: " + e.getMessage());
            }
            journal.append(new JournalEvent.StageFinished(name, status(r.outcome()), r.reason(), Map.of()));
            events.hookFinished(name, r);
            hooks.put(name, r);
        }
        if (status == RunStatus.CANCELLED) {
            journal.append(new JournalEvent.RunCancelled(cancel.reason()));
        }
        journal.append(new JournalEvent.RunFinished(status));
        return new Outcome(status, results, hooks);
    }

    /**
     * The journal names of the plan's hooks, in order: {@code on KIND}, and {@code on KIND 2},
     * {@code on KIND 3}... for later hooks of the same kind. They cannot clash with stage names,
     * which never hold a space.
     */
    public static List<String> hookNames(Plan plan) {
        List<String> out = new java.util.ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Plan.Hook h : plan.hooks()) {
            int n = seen.merge(h.on(), 1, Integer::sum);
            out.add("on " + h.on() + (n == 1 ? "" : " " + n));
        }
        return out;
    }

    static StageStatus status(DagScheduler.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> StageStatus.SUCCEEDED;
            case FAILED -> StageStatus.FAILED;
            case SKIPPED, NOT_SELECTED -> StageStatus.SKIPPED;
            case CANCELLED -> StageStatus.CANCELLED;
            case WAITING -> throw new IllegalArgumentException("a stage that waits has not finished");
        };
    }

    private static RunStatus runStatus(Map<String, DagScheduler.Result> results, Map<String, PlanStage> stages,
            Cancellation cancel) {
        if (cancel.isCancelled()) {
            return RunStatus.CANCELLED;
        }
        for (var e : results.entrySet()) {
            if (e.getValue().outcome() == DagScheduler.Outcome.FAILED && !stages.get(e.getKey()).allowFailure()) {
                return RunStatus.FAILED;
            }
            if (e.getValue().outcome() == DagScheduler.Outcome.CANCELLED) {
                return RunStatus.CANCELLED;
            }
        }
        if (results.values().stream().anyMatch(r -> r.outcome() == DagScheduler.Outcome.WAITING)) {
            return RunStatus.WAITING;
        }
        return RunStatus.SUCCEEDED;
    }

    /** Names of the stage instances that wait at a gate (approval, window): not run by this version. */
    public static List<String> gated(Plan plan) {
        return plan.stages().stream().filter(s -> s.status() == PlanStage.Status.WAIT).map(PlanStage::name).toList();
    }
}
