package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.JournalReader;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.StageStatus;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEngineTest {
    @TempDir
    Path dir;

    static Plan plan(String text) {
        var parsed = SourceParser.parse(new SourceFile("p.pipe", text));
        return Planner.plan(parsed.program(), EventContext.push("main", Instant.parse("2026-11-24T10:00:00Z")));
    }

    static final String PIPELINE = """
            pipeline p
            on push
            stage build {
              step "b" { sh "make" }
            }
            stage docs {
              when event == manual
              step "d" { sh "make docs" }
            }
            stage test {
              needs [build]
              step "t" { sh "make test" }
            }
            """;

    @Test
    void journalsEveryStageAndPassesOutputsOn() throws Exception {
        Plan plan = plan(PIPELINE);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        RunEngine.StageWork work = (stage, needs, cancel) -> {
            seen.add(stage.name() + " sees " + needs);
            return new RunEngine.StageResult(DagScheduler.Result.succeeded(), Map.of("digest", stage.name() + "-1"));
        };
        Path file = dir.resolve("journal.jsonl");
        RunEngine.Outcome outcome;
        try (Journal journal = Journal.create(file, UnaryOperator.identity())) {
            journal.append(new JournalEvent.RunStarted("r1", "p", "p.pipe", "a push", plan.digest(), "me", 2,
                    ProcessHandle.current().pid()));
            outcome = RunEngine.execute(plan, journal, work, new RunEngine.Events() {
            }, 2, true, new Cancellation(), Map.of());
        }
        assertEquals(RunStatus.SUCCEEDED, outcome.status());
        assertTrue(seen.contains("test sees {build={digest=build-1}}"), seen::toString);
        assertEquals(2, seen.size(), "docs is skipped by the plan and never handed to the work: " + seen);
        RunState state = RunState.replay(JournalReader.read(file).entries());
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertEquals(StageStatus.SKIPPED, state.stage("docs").orElseThrow().status());
        assertEquals(Map.of("digest", "build-1"), state.stage("build").orElseThrow().outputs());
    }

    @Test
    void aResumedRunDoesNotRunFinishedStagesAgain() throws Exception {
        Plan plan = plan(PIPELINE);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        RunEngine.StageWork work = (stage, needs, cancel) -> {
            seen.add(stage.name() + " sees " + needs);
            return new RunEngine.StageResult(DagScheduler.Result.succeeded(), Map.of());
        };
        try (Journal journal = Journal.create(dir.resolve("j.jsonl"), UnaryOperator.identity())) {
            RunEngine.execute(plan, journal, work, new RunEngine.Events() {
            }, 2, true, new Cancellation(), Map.of("build",
                    new RunEngine.StageResult(DagScheduler.Result.succeeded(), Map.of("digest", "old"))));
        }
        assertEquals(List.of("test sees {build={digest=old}}"), seen);
    }

    @Test
    void aFailedStageFailsTheRun() throws Exception {
        Plan plan = plan(PIPELINE);
        RunEngine.StageWork work = (stage, needs, cancel) -> new RunEngine.StageResult(
                stage.name().equals("build") ? new DagScheduler.Result(DagScheduler.Outcome.FAILED, "step `b` exited with 2")
                        : DagScheduler.Result.succeeded(), Map.of());
        try (Journal journal = Journal.create(dir.resolve("f.jsonl"), UnaryOperator.identity())) {
            RunEngine.Outcome o = RunEngine.execute(plan, journal, work, new RunEngine.Events() {
            }, 2, true, new Cancellation(), Map.of());
            assertEquals(RunStatus.FAILED, o.status());
            assertEquals(new DagScheduler.Result(DagScheduler.Outcome.SKIPPED, "needs `build`, which failed"),
                    o.stages().get("test"));
        }
    }
}
