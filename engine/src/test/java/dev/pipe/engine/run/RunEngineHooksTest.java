package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalReader;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.StageStatus;
import dev.pipe.engine.plan.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of the pipeline's hooks run after which ending, how they are journaled and resumed. */
class RunEngineHooksTest {
    @TempDir
    Path dir;

    static final String PIPELINE = """
            pipeline p
            on push
            stage build {
              step "b" { sh "make" }
            }
            stage lint {
              allow_failure
              step "l" { sh "make lint" }
            }
            on success { sh "echo one" }
            on failure { sh "echo two" }
            on always { sh "echo three" }
            on failure { sh "echo four" }
            """;

    private record Ran(List<String> hooks, RunEngine.Outcome outcome, RunState state) {
    }

    private Ran run(String failing, Cancellation cancel, Map<String, RunEngine.StageResult> resumed,
            DagScheduler.Result hookResult) throws Exception {
        Plan plan = RunEngineTest.plan(PIPELINE);
        List<String> hooks = Collections.synchronizedList(new ArrayList<>());
        RunEngine.StageWork work = (stage, needs, c) -> {
            if (stage.name().equals(failing)) {
                return new RunEngine.StageResult(new DagScheduler.Result(DagScheduler.Outcome.FAILED, "boom"), Map.of());
            }
            if (stage.name().equals("build") && cancel.isCancelled()) {
                return new RunEngine.StageResult(new DagScheduler.Result(DagScheduler.Outcome.CANCELLED, "cancelled"), Map.of());
            }
            return new RunEngine.StageResult(DagScheduler.Result.succeeded(), Map.of());
        };
        RunEngine.HookWork hookWork = (name, index, status, failedStage, c) -> {
            hooks.add(name + " #" + index + " " + status + " " + failedStage + (c.isCancelled() ? " cancelled" : ""));
            return new RunEngine.StageResult(hookResult, Map.of());
        };
        Path file = dir.resolve("journal-" + System.nanoTime() + ".jsonl");
        RunEngine.Outcome outcome;
        try (Journal journal = Journal.create(file, UnaryOperator.identity())) {
            outcome = RunEngine.execute(plan, journal, work, hookWork, new RunEngine.Events() {
            }, 2, true, cancel, resumed, Map.of());
        }
        return new Ran(hooks, outcome, RunState.replay(JournalReader.read(file).entries()));
    }

    @Test
    void hookNamesNumberRepeatedKinds() {
        assertEquals(List.of("on success", "on failure", "on always", "on failure 2"),
                RunEngine.hookNames(RunEngineTest.plan(PIPELINE)));
    }

    @Test
    void aSucceededRunRunsSuccessAndAlwaysHooksInFileOrder() throws Exception {
        Ran r = run(null, new Cancellation(), Map.of(), DagScheduler.Result.succeeded());
        assertEquals(List.of("on success #0 SUCCEEDED null", "on always #2 SUCCEEDED null"), r.hooks());
        assertEquals(StageStatus.SUCCEEDED, r.state().stage("on success").orElseThrow().status());
        assertEquals(RunStatus.SUCCEEDED, r.state().status());
    }

    @Test
    void aFailedRunRunsFailureHooksWithTheStageThatFailedIt() throws Exception {
        Ran r = run("build", new Cancellation(), Map.of(), DagScheduler.Result.succeeded());
        assertEquals(List.of("on failure #1 FAILED build", "on always #2 FAILED build", "on failure 2 #3 FAILED build"),
                r.hooks());
    }

    @Test
    void aStageAllowedToFailIsNotTheFailedStage() throws Exception {
        Ran r = run("lint", new Cancellation(), Map.of(), DagScheduler.Result.succeeded());
        assertEquals(List.of("on success #0 SUCCEEDED null", "on always #2 SUCCEEDED null"), r.hooks());
    }

    @Test
    void aCancelledRunRunsOnlyAlwaysHooksUnderACancellationOfTheirOwn() throws Exception {
        Cancellation cancel = new Cancellation();
        cancel.cancel("stop");
        Ran r = run(null, cancel, Map.of(), DagScheduler.Result.succeeded());
        assertEquals(List.of("on always #2 CANCELLED null"), r.hooks());
        assertEquals(RunStatus.CANCELLED, r.state().status());
    }

    @Test
    void aFailedHookIsJournaledButDoesNotChangeTheRunsStatus() throws Exception {
        Ran r = run(null, new Cancellation(), Map.of(),
                new DagScheduler.Result(DagScheduler.Outcome.FAILED, "the webhook answered HTTP 500"));
        assertEquals(RunStatus.SUCCEEDED, r.outcome().status());
        assertEquals(RunStatus.SUCCEEDED, r.state().status());
        assertEquals(StageStatus.FAILED, r.state().stage("on success").orElseThrow().status());
        assertEquals("the webhook answered HTTP 500", r.state().stage("on success").orElseThrow().reason());
        assertEquals(DagScheduler.Outcome.FAILED, r.outcome().hooks().get("on success").outcome());
    }

    @Test
    void aResumedRunDoesNotRunAFinishedHookAgain() throws Exception {
        Ran r = run(null, new Cancellation(), Map.of(
                "build", new RunEngine.StageResult(DagScheduler.Result.succeeded(), Map.of()),
                "on success", new RunEngine.StageResult(DagScheduler.Result.succeeded(), Map.of())),
                DagScheduler.Result.succeeded());
        assertEquals(List.of("on always #2 SUCCEEDED null"), r.hooks());
    }
}
