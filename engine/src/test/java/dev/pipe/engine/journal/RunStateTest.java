package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.JournalEvent.RunCancelled;
import dev.pipe.engine.journal.JournalEvent.RunFinished;
import dev.pipe.engine.journal.JournalEvent.RunResumed;
import dev.pipe.engine.journal.JournalEvent.StageFinished;
import dev.pipe.engine.journal.JournalEvent.StageReady;
import dev.pipe.engine.journal.JournalEvent.StageStarted;
import dev.pipe.engine.journal.JournalEvent.StepFinished;
import dev.pipe.engine.journal.JournalEvent.StepSkipped;
import dev.pipe.engine.journal.JournalEvent.StepStarted;
import dev.pipe.engine.journal.RunState.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** Replaying journals into what each stage and step did, and where the run stands. */
class RunStateTest {
    private static final LongPredicate DEAD = pid -> false;
    private static final LongPredicate ALIVE = pid -> true;

    private static List<JournalEntry> entries(JournalEvent... events) {
        List<JournalEntry> out = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            out.add(new JournalEntry(i + 1, Events.T0.plusSeconds(i), events[i]));
        }
        return out;
    }

    /** build succeeds; test[node=18] runs: one step done, one cut off mid-retry; lint was skipped. */
    private static List<JournalEntry> killedMidRun() {
        return entries(
                Events.started(4242),
                new StageReady("build"),
                new StageStarted("build"),
                new StepStarted("build", "compile", 1),
                new StepFinished("build", "compile", 1, 0, StepOutcome.SUCCEEDED, 900, Map.of("jar", "app.jar"), null),
                new StepSkipped("build", "publish", "when is false"),
                new StageFinished("build", StageStatus.SUCCEEDED, null, Map.of("artifact", "app.jar")),
                new StageReady("test[node=18]"),
                new StageStarted("test[node=18]"),
                new StepStarted("test[node=18]", "unit", 1),
                new StepFinished("test[node=18]", "unit", 1, 0, StepOutcome.SUCCEEDED, 100, Map.of("passed", "12"), null),
                new StepStarted("test[node=18]", "integration", 1),
                new StepFinished("test[node=18]", "integration", 1, 1, StepOutcome.FAILED, 100, Map.of(), "exit 1"),
                new StepStarted("test[node=18]", "integration", 2),
                new StageFinished("lint", StageStatus.SKIPPED, "needs `fmt`, which was skipped", Map.of()));
    }

    @Test
    void finishedAndUnfinishedStepsAndStages() {
        RunState state = RunState.replay(killedMidRun(), DEAD);
        assertEquals(RunStatus.INTERRUPTED, state.status());
        assertEquals("20261122-051530-8f3k", state.runId());
        assertEquals("shop", state.pipeline());
        assertEquals(4242, state.pid());
        assertEquals(Events.T0, state.startedAt());
        assertNull(state.finishedAt());
        assertEquals(List.of("build", "test[node=18]", "lint"), List.copyOf(state.stages().keySet()));
        assertEquals(Map.of("build", StageStatus.SUCCEEDED, "lint", StageStatus.SKIPPED), state.finishedStages());
        assertEquals(Map.of("artifact", "app.jar"), state.stage("build").orElseThrow().outputs());

        assertTrue(state.stepSucceeded("build", "compile"));
        assertTrue(state.stepSucceeded("test[node=18]", "unit"));
        assertFalse(state.stepSucceeded("test[node=18]", "integration"));
        assertFalse(state.stepSucceeded("build", "publish"));
        assertFalse(state.stepSucceeded("deploy", "push"));
        assertEquals(StepOutcome.SKIPPED, state.step("build", "publish").orElseThrow().outcome());

        RunState.StepState integration = state.step("test[node=18]", "integration").orElseThrow();
        assertEquals(2, integration.attempt());
        assertFalse(integration.finished());
        assertNull(integration.exitCode());
        assertEquals(List.of(integration), state.unfinishedSteps());

        assertEquals(Map.of("unit", Map.of("passed", "12")), state.stepOutputs("test[node=18]"));
        assertEquals(Map.of("compile", Map.of("jar", "app.jar")), state.stepOutputs("build"));
        RunState.StageState test = state.stage("test[node=18]").orElseThrow();
        assertEquals(Progress.RUNNING, test.progress());
        assertNull(test.status());
    }

    @Test
    void aRunWithoutRunFinishedIsRunningWhileItsProcessLives() {
        assertEquals(RunStatus.RUNNING, RunState.replay(killedMidRun(), ALIVE).status());
        assertEquals(RunStatus.RUNNING, RunState.replay(entries(Events.started(ProcessHandle.current().pid()))).status());
    }

    @Test
    void theLastResumerIsTheProcessThatCounts() {
        List<JournalEntry> entries = new ArrayList<>(killedMidRun());
        entries.add(new JournalEntry(entries.size() + 1, Instant.now(), new RunResumed(5151)));
        RunState state = RunState.replay(entries, pid -> pid == 5151);
        assertEquals(RunStatus.RUNNING, state.status());
        assertEquals(5151, state.pid());
        assertEquals(1, state.resumes());
        assertEquals(RunStatus.INTERRUPTED, RunState.replay(entries, pid -> pid == 4242).status());
    }

    @Test
    void finalStatusesComeFromRunFinished() {
        for (RunStatus status : List.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)) {
            RunState state = RunState.replay(entries(Events.started(1), new RunFinished(status)), ALIVE);
            assertEquals(status, state.status());
            assertEquals(Events.T0.plusSeconds(1), state.finishedAt());
        }
    }

    @Test
    void aCancelledRunRemembersWhy() {
        RunState state = RunState.replay(entries(Events.started(1), new RunCancelled("Ctrl-C"),
                new RunFinished(RunStatus.CANCELLED)), DEAD);
        assertEquals(RunStatus.CANCELLED, state.status());
        assertEquals("Ctrl-C", state.cancelReason());
        RunState cut = RunState.replay(entries(Events.started(1), new RunCancelled("Ctrl-C")), DEAD);
        assertEquals(RunStatus.INTERRUPTED, cut.status());
        assertEquals("Ctrl-C", cut.cancelReason());
    }

    @Test
    void aStageStartedAgainAfterAResumeIsNoLongerFinished() {
        RunState state = RunState.replay(entries(Events.started(1),
                new StageFinished("deploy", StageStatus.CANCELLED, "interrupted", Map.of()),
                new RunResumed(2),
                new StageReady("deploy")), DEAD);
        RunState.StageState deploy = state.stage("deploy").orElseThrow();
        assertEquals(Progress.READY, deploy.progress());
        assertNull(deploy.status());
        assertEquals(Map.of(), state.finishedStages());
    }

    @Test
    void aRetriedStepThatSucceededIsDone() {
        RunState state = RunState.replay(entries(Events.started(1),
                new StepStarted("a", "flaky", 1),
                new StepFinished("a", "flaky", 1, 1, StepOutcome.FAILED, 1, Map.of(), null),
                new StepStarted("a", "flaky", 2),
                new StepFinished("a", "flaky", 2, 0, StepOutcome.SUCCEEDED, 1, Map.of("x", "1"), null)), DEAD);
        RunState.StepState flaky = state.step("a", "flaky").orElseThrow();
        assertTrue(flaky.succeeded());
        assertEquals(2, flaky.attempt());
        assertEquals(Events.T0.plusSeconds(3), flaky.startedAt());
        assertEquals(Events.T0.plusSeconds(4), flaky.finishedAt());
        assertEquals(Progress.RUNNING, state.stage("a").orElseThrow().progress());
        assertEquals(List.of(), state.unfinishedSteps());
    }

    @Test
    void aJournalWithNothingInItIsInterrupted() {
        RunState state = RunState.replay(List.of(), ALIVE);
        assertEquals(RunStatus.INTERRUPTED, state.status());
        assertNull(state.runId());
        assertEquals(Map.of(), state.stages());
    }
}
