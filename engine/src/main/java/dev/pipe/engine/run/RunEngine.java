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

    /** Told of stage changes after they are journaled, for consoles and reports. */
    public interface Events {
        default void stageStarted(PlanStage stage) {
        }

        default void stageFinished(PlanStage stage, DagScheduler.Result result) {
        }
    }

    /** How the run ended and each stage instance's result, in plan order. */
    public record Outcome(RunStatus status, Map<String, DagScheduler.Result> stages) {
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
                journal.append(new JournalEvent.StageStarted(node.name()));
                events.stageStarted(byName.get(node.name()));
            }

            @Override
            public void finished(DagScheduler.Node node, DagScheduler.Result result) {
                journal.append(new JournalEvent.StageFinished(node.name(), status(result.outcome()), result.reason(),
                        outputs.getOrDefault(node.name(), Map.of())));
                events.stageFinished(byName.get(node.name()), result);
            }
        };
        Map<String, DagScheduler.Result> results = scheduler.run(runner, listener, cancel, prior);
        RunStatus status = runStatus(results, byName, cancel);
        if (status == RunStatus.CANCELLED) {
            journal.append(new JournalEvent.RunCancelled(cancel.reason()));
        }
        journal.append(new JournalEvent.RunFinished(status));
        return new Outcome(status, results);
    }

    static StageStatus status(DagScheduler.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> StageStatus.SUCCEEDED;
            case FAILED -> StageStatus.FAILED;
            case SKIPPED, NOT_SELECTED -> StageStatus.SKIPPED;
            case CANCELLED -> StageStatus.CANCELLED;
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
        return RunStatus.SUCCEEDED;
    }

    /** Names of the stage instances that wait at a gate (approval, window): not run by this version. */
    public static List<String> gated(Plan plan) {
        return plan.stages().stream().filter(s -> s.status() == PlanStage.Status.WAIT).map(PlanStage::name).toList();
    }
}
