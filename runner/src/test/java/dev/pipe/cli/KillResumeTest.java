package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of `pipe run` at random points, then `pipe resume`: every step that had finished runs
 * exactly once in all, and the resumed run succeeds.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    static final String PIPELINE = """
            pipeline chain
            on push
            stage a {
              step "one" { sh "echo a/one >> ran.txt; sleep 0.2" }
              step "two" { sh "echo a/two >> ran.txt; sleep 0.2" }
            }
            stage b {
              needs [a]
              step "one" { sh "echo b/one >> ran.txt; sleep 0.2" }
              step "two" { sh "echo b/two >> ran.txt; sleep 0.2" }
            }
            stage c {
              needs [a]
              step "one" { sh "echo c/one >> ran.txt; sleep 0.2" }
            }
            stage d {
              needs [b, c]
              step "one" { sh "echo d/one >> ran.txt" }
            }
            """;

    @Test
    void killedRunsResumeWithoutRepeatingFinishedSteps() throws Exception {
        long seed = Long.getLong("pipe.seed", 20261122L);
        Random random = new Random(seed);
        for (int round = 0; round < 5; round++) {
            Path work = Files.createDirectories(dir.resolve("round" + round));
            Path file = Files.writeString(work.resolve("chain.pipe"), PIPELINE);
            Path state = work.resolve(".pipe");
            long killAfter = random.nextInt(1300);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.pipe.cli.Main",
                    "run", file.toString(), "--state", state.toString(), "--parallel", "2")
                    .redirectErrorStream(true).redirectOutput(work.resolve("first.out").toFile()).start();
            // The kill point is counted from when the run's journal appears, past the JVM's start.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (p.isAlive() && System.nanoTime() < deadline && !journalExists(state)) {
                Thread.sleep(10);
            }
            boolean ended = p.waitFor(killAfter, TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String context = "seed " + seed + ", round " + round + ", kill after " + killAfter + " ms";
            List<RunDir> runs = new RunStore(state).list();
            assertEquals(1, runs.size(), context + ": " + Files.readString(work.resolve("first.out")));
            RunDir run = runs.get(0);
            RunState before = run.state();
            Map<String, Integer> finishedBefore = new HashMap<>();
            for (RunState.StageState s : before.stages().values()) {
                for (RunState.StepState st : s.steps().values()) {
                    if (st.succeeded()) {
                        finishedBefore.put(s.name() + "/" + st.name(), 1);
                    }
                }
            }
            if (before.runId() == null) {
                // Killed while the run was being created: nothing ran, and resume says so.
                CliRun r = CliRun.of(Map.of(), "resume", run.id(), "--state", state.toString());
                assertEquals(Exit.ERRORS, r.code(), () -> context + "\n" + r);
                assertTrue(r.err().contains("stopped before it started anything"), () -> context + "\n" + r);
                assertTrue(!Files.exists(work.resolve("ran.txt")), context);
                continue;
            }
            if (before.status() != RunStatus.SUCCEEDED) {
                CliRun r = CliRun.of(Map.of(), "resume", run.id(), "--state", state.toString());
                assertEquals(Exit.OK, r.code(), () -> context + "\n" + r);
            }
            assertEquals(RunStatus.SUCCEEDED, run.state().status(), context);
            List<String> ran = Files.readAllLines(work.resolve("ran.txt"));
            for (String step : List.of("a/one", "a/two", "b/one", "b/two", "c/one", "d/one")) {
                long times = ran.stream().filter(step::equals).count();
                assertTrue(times >= 1, context + ": " + step + " never ran: " + ran);
                if (finishedBefore.containsKey(step)) {
                    assertEquals(1, times, context + ": " + step + " had finished before the kill but ran again: " + ran);
                }
            }
        }
    }

    private static boolean journalExists(Path state) throws java.io.IOException {
        Path runs = state.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return false;
        }
        try (var dirs = Files.list(runs)) {
            return dirs.anyMatch(d -> Files.exists(d.resolve("journal.jsonl")));
        }
    }

    /**
     * Without the spawner (PIPE_SPAWNER=off) a step's session outlives a pipe killed with SIGKILL:
     * the session notes let `pipe resume` end it.
     */
    @Test
    void resumeEndsStepsTheKilledProcessLeftRunning() throws Exception {
        String marker = "40.4" + (ProcessHandle.current().pid() % 1000);
        Path file = Files.writeString(dir.resolve("long.pipe"), """
                pipeline long
                on push
                stage a {
                  step "long" { sh "if [ -f second ]; then exit 0; fi; touch second; sleep %s" }
                }
                """.formatted(marker));
        Path state = dir.resolve(".pipe");
        Process p = pipeRun(file, state, "off");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // Wait for the step to run and for pipe to have noted its session.
        while ((markerProcesses(marker) == 0 || !noted(state)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        assertTrue(markerProcesses(marker) > 0, "the step should outlive a pipe killed with SIGKILL");
        RunDir run = new RunStore(state).list().get(0);
        CliRun r = CliRun.of(Map.of(), "resume", run.id(), "--state", state.toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("left running by the process that drove this run before"), r::toString);
        assertEquals(0, markerProcesses(marker), r::toString);
    }

    /**
     * With the spawner, a step dies with a pipe killed by SIGKILL: the spawner sees its stdin end
     * and kills the step's session, background jobs and other process groups included.
     */
    @Test
    void withTheSpawnerAStepDiesWithAPipeKilledBySigkill() throws Exception {
        String marker = "41.4" + (ProcessHandle.current().pid() % 1000);
        Path file = Files.writeString(dir.resolve("long.pipe"), """
                pipeline long
                on push
                stage a {
                  step "long" { sh "if [ -f second ]; then exit 0; fi; touch second; sleep %s & set -m; sleep %s & sleep %s" }
                }
                """.formatted(marker, marker, marker));
        Path state = dir.resolve(".pipe");
        Process p = pipeRun(file, state, "on");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // The shell (its command line names the marker too) and three sleeps. A child the shell
        // has forked counts once it runs, but not for the moment it is in the middle of exec
        // (its command line reads empty then): the count must hold on two reads in a row.
        long seen = -1;
        long now = -1;
        while ((seen != 4 || now != 4 || !noted(state)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = now;
            now = markerProcesses(marker);
        }
        assertEquals(4, now, "the step's processes did not all start");
        p.destroyForcibly().waitFor();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (markerProcesses(marker) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, markerProcesses(marker), "the step outlived pipe");
        RunDir run = new RunStore(state).list().get(0);
        CliRun r = CliRun.of(Map.of(), "resume", run.id(), "--state", state.toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals(RunStatus.SUCCEEDED, run.state().status());
    }

    /** `pipe run` in a JVM of its own, with PIPE_SPAWNER set to {@code spawner}. */
    private Process pipeRun(Path file, Path state, String spawner) throws java.io.IOException {
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.pipe.cli.Main", "run", file.toString(),
                "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile());
        b.environment().put("PIPE_SPAWNER", spawner);
        return b.start();
    }

    private static boolean noted(Path state) throws java.io.IOException {
        Path runs = state.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return false;
        }
        try (var dirs = Files.list(runs)) {
            for (Path d : dirs.toList()) {
                if (!new dev.pipe.runner.local.Sessions(d.resolve("sessions")).open().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long markerProcesses(String marker) throws java.io.IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(d -> {
                        try {
                            return new String(Files.readAllBytes(d.resolve("cmdline"))).contains(marker);
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    }).count();
        }
    }
}
