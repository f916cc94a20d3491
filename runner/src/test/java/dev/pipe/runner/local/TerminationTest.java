package dev.pipe.runner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timeouts, cancels and the end of a command leave no process behind. Each test names its
 * processes with a marker ({@code exec -a MARKER sleep 1000}), makes sure they ran, and then
 * scans /proc for them. Commands are started by the spawner and by the JVM.
 */
@EnabledOnOs(OS.LINUX)
@ParameterizedClass(name = "{0}")
@EnumSource(value = LocalExecutor.Spawning.class, names = {"NATIVE", "PERL", "PROCESS_BUILDER"})
class TerminationTest {
    static final Duration GRACE = Duration.ofMillis(400);
    static final Duration TIMEOUT = Duration.ofMillis(400);

    @Parameter
    LocalExecutor.Spawning spawning;

    @TempDir
    Path dir;

    final String m = Procs.marker();

    LocalExecutor executor;

    @BeforeEach
    void start() {
        Procs.requireSpawner(spawning);
        executor = new LocalExecutor(GRACE, null, spawning);
    }

    @AfterEach
    void killWhatAFailedTestLeft() {
        Procs.killMentioning(m);
        executor.close();
    }

    /** The reader threads of a running command that has written nothing: none for the spawner's, one per pipe else. */
    int readersOfASilentCommand() {
        return spawning != LocalExecutor.Spawning.PROCESS_BUILDER ? 0 : 2;
    }

    /** What a run did: its result, its output, how long exec took, how many marked processes ran at "ready". */
    record Outcome(ExecResult result, RecordingSink sink, long millis, int seenAtReady) {
    }

    /**
     * Runs {@code script}; when it prints "ready", waits until {@code expected} processes named
     * by the marker run, then calls {@code onReady} with the output so far (on the reader thread).
     */
    Outcome run(String script, Duration timeout, int expected, Cancellation cancel, Consumer<String> onReady)
            throws InterruptedException {
        AtomicInteger seen = new AtomicInteger(-1);
        AtomicBoolean fired = new AtomicBoolean();
        RecordingSink sink = new RecordingSink((stream, soFar) -> {
            if (stream == OutputSink.Stream.STDOUT && soFar.contains("ready") && fired.compareAndSet(false, true)) {
                seen.set(Procs.awaitNamed(m, expected, Duration.ofSeconds(3)));
                onReady.accept(soFar);
            }
        });
        long t0 = System.nanoTime();
        ExecResult r = executor.exec(new ShellCommand(script, dir, LocalExecutorTest.ENV, timeout, null), sink, cancel);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Outcome o = new Outcome(r, sink, millis, seen.get());
        assertNull(sink.misuse(), sink.misuse());
        assertEquals(expected, o.seenAtReady(), () -> "the marked processes did not all start, so their absence proves nothing\n" + sink);
        return o;
    }

    Outcome run(String script, Duration timeout, int expected) throws InterruptedException {
        return run(script, timeout, expected, new Cancellation(), out -> {
        });
    }

    /** Nothing of the command is left: no marked process, no unreaped child, no reader thread. */
    void assertNothingLeft(Outcome o) {
        assertEquals(List.of(), Procs.mentioning(m), () -> "processes survived the command\n" + o.sink());
        assertEquals(List.of(), Procs.zombieChildren(executor.spawnerPid()), "pipe or its spawner left zombie children");
        assertEquals(0, OutputPump.runningReaders(), "a reader thread is still running");
        assertEquals(1, o.sink().closes());
    }

    void assertTimedOutQuickly(Outcome o) {
        assertTrue(o.result().timedOut(), o.result()::toString);
        assertFalse(o.result().cancelled());
        assertEquals(143, o.result().exitCode(), o.result()::toString);
        assertTrue(o.millis() < TIMEOUT.plus(GRACE).toMillis() + 1000, () -> "exec took " + o.millis() + " ms");
    }

    @Test
    void aTimeoutStopsASleepingShellAtOnce() throws InterruptedException {
        Outcome o = run("echo ready; exec -a " + m + " sleep 1000", TIMEOUT, 1);
        assertTimedOutQuickly(o);
        assertTrue(o.millis() < TIMEOUT.toMillis() + GRACE.toMillis(), "sleep ends on SIGTERM, without waiting for the grace");
        assertNothingLeft(o);
    }

    @Test
    void aTimeoutStopsBackgroundGrandchildren() throws InterruptedException {
        Outcome o = run("(exec -a " + m + " sleep 1000) & bash -c '(exec -a " + m + " sleep 1000) & wait' & echo ready; wait",
                TIMEOUT, 2);
        assertTimedOutQuickly(o);
        assertNothingLeft(o);
    }

    @Test
    void aTimeoutStopsOrphansThatAreNoLongerDescendants() throws InterruptedException {
        // The subshell exits at once, so the sleep is reparented away from the shell.
        AtomicBoolean orphaned = new AtomicBoolean();
        Outcome o = run("(exec -a " + m + " sleep 1000 &); echo \"ready $$\"; exec sleep 1000", TIMEOUT, 1, new Cancellation(),
                out -> orphaned.set(orphaned(Long.parseLong(out.strip().split(" ")[1]), m)));
        assertTrue(orphaned.get(), "the sleep was meant to be no descendant of the shell");
        assertTimedOutQuickly(o);
        assertNothingLeft(o);
    }

    @Test
    void aTimeoutStopsManyChildren() throws InterruptedException {
        Outcome o = run("for i in $(seq 30); do (exec -a " + m + " sleep 1000) & done; echo ready; wait", TIMEOUT, 30);
        assertTimedOutQuickly(o);
        assertNothingLeft(o);
    }

    @Test
    void aTimeoutStopsNohupProcesses() throws InterruptedException {
        Outcome o = run("nohup bash -c 'exec -a " + m + " sleep 1000' >/dev/null 2>&1 & disown; echo ready; sleep 1000",
                TIMEOUT, 1);
        assertTimedOutQuickly(o);
        assertNothingLeft(o);
    }

    @Test
    void aTimeoutStopsProcessesInAnotherProcessGroupOfTheSession() throws InterruptedException {
        // Job control puts each background job in a process group of its own.
        AtomicReference<String> where = new AtomicReference<>();
        Outcome o = run("set -m; (exec -a " + m + " sleep 1000) & echo ready; wait", TIMEOUT, 1, new Cancellation(),
                x -> where.set(groupAndSession(m)));
        assertTimedOutQuickly(o);
        String[] gs = where.get().split(" ");
        assertNotEquals(gs[0], gs[1], "the job was meant to run in a process group of its own");
        assertNothingLeft(o);
    }

    @Test
    void aTimeoutStopsADoubleForkedDaemonThatKeptTheOutput() throws InterruptedException {
        AtomicReference<String> where = new AtomicReference<>();
        Outcome o = run("(setsid bash -c 'exec -a " + m + " sleep 1000' &); echo ready; sleep 1000",
                TIMEOUT, 1, new Cancellation(), x -> where.set(groupAndSession(m)));
        assertTimedOutQuickly(o);
        String[] gs = where.get().split(" ");
        assertEquals(gs[0], gs[1], "the daemon was meant to lead a session of its own");
        assertNothingLeft(o);
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGrace() throws InterruptedException {
        Outcome o = run("trap '' TERM; (exec -a " + m + " sleep 1000) & echo ready; exec -a " + m + " sleep 1000",
                TIMEOUT, 2);
        assertTrue(o.result().timedOut());
        assertEquals(137, o.result().exitCode(), "SIGKILL ended it");
        long least = TIMEOUT.plus(GRACE).toMillis();
        assertTrue(o.millis() >= least - 20, () -> "killed after " + o.millis() + " ms, before the grace was over");
        assertTrue(o.millis() < least + 1000, () -> "exec took " + o.millis() + " ms");
        assertNothingLeft(o);
    }

    @Test
    void aCancelFromAnotherThreadStopsTheCommand() throws InterruptedException {
        Cancellation cancel = new Cancellation();
        Outcome o = run("(exec -a " + m + " sleep 1000) & echo ready; exec -a " + m + " sleep 1000", Duration.ofSeconds(20), 2,
                cancel, x -> Thread.ofPlatform().start(() -> cancel.cancel("the user pressed Ctrl-C")));
        assertTrue(o.result().cancelled(), o.result()::toString);
        assertFalse(o.result().timedOut());
        assertEquals(143, o.result().exitCode());
        assertTrue(o.millis() < GRACE.toMillis() + 1000, () -> "exec took " + o.millis() + " ms");
        assertNothingLeft(o);
    }

    @Test
    void interruptingTheCallerStopsTheCommandAndThrows() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        AtomicReference<Thread> caller = new AtomicReference<>();
        Thread t = Thread.ofPlatform().unstarted(() -> {
            try {
                outcome.set(run("(exec -a " + m + " sleep 1000) & echo ready; wait", null, 1, new Cancellation(),
                        x -> caller.get().interrupt()));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        caller.set(t);
        long t0 = System.nanoTime();
        t.start();
        t.join(Duration.ofSeconds(10));
        assertFalse(t.isAlive(), "exec did not return after the interrupt");
        assertTrue(thrown.get() instanceof InterruptedException, () -> "expected an InterruptedException, got " + thrown.get());
        assertNull(outcome.get());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < GRACE.toMillis() + 1500);
        assertEquals(List.of(), Procs.mentioning(m));
        assertEquals(List.of(), Procs.zombieChildren(executor.spawnerPid()));
        assertEquals(0, OutputPump.runningReaders());
    }

    @Test
    void childrenLeftRunningAfterANormalEndAreStopped() throws InterruptedException {
        Outcome o = run("(exec -a " + m + " sleep 1000) & nohup bash -c 'exec -a " + m + " sleep 1000' >/dev/null 2>&1 &"
                + " echo ready; sleep 0.3; exit 3", null, 2);
        assertEquals(3, o.result().exitCode(), "the shell's own exit code stays");
        assertFalse(o.result().timedOut() || o.result().cancelled());
        assertTrue(o.millis() < GRACE.toMillis() + 1000, () -> "exec took " + o.millis() + " ms");
        assertTrue(o.sink().err().matches("(?s)pipe: the command ended but left processes running; they were stopped: "
                + "sleep \\(pid \\d+\\), sleep \\(pid \\d+\\)\n"), o.sink()::toString);
        assertNothingLeft(o);
    }

    @Test
    void aLeftoverIgnoringSigtermIsKilledAfterTheGrace() throws InterruptedException {
        Outcome o = run("(trap '' TERM; exec -a " + m + " sleep 1000) & echo ready; sleep 0.2", null, 1);
        assertEquals(0, o.result().exitCode());
        assertTrue(o.millis() >= GRACE.toMillis() + 200 - 20, () -> "killed after " + o.millis() + " ms");
        assertNothingLeft(o);
    }

    @Test
    void aDoubleForkedDaemonThatKeptTheOutputIsStoppedAfterANormalEnd() throws InterruptedException {
        Outcome o = run("(setsid bash -c 'exec -a " + m + " sleep 1000' &); echo ready; sleep 0.3", null, 1);
        assertEquals(0, o.result().exitCode());
        assertNothingLeft(o);
    }

    @Test
    void stoppingOneCommandLeavesAnotherRunningOneAlone() throws Exception {
        // The other command starts while this one runs, so its processes are younger than this one's shell;
        // the same executor (and spawner) starts both.
        String other = Procs.marker();
        Cancellation cancelOther = new Cancellation();
        AtomicReference<ExecResult> otherResult = new AtomicReference<>();
        AtomicReference<Thread> otherThread = new AtomicReference<>();
        try {
            Outcome o = run("(exec -a " + m + " sleep 1000) & (setsid bash -c 'exec -a " + m + " sleep 1000' &); echo ready; wait",
                    TIMEOUT, 2, new Cancellation(), out -> {
                        otherThread.set(Thread.ofVirtual().start(() -> {
                            try {
                                otherResult.set(executor.exec(new ShellCommand("(exec -a " + other
                                        + " sleep 1000) & exec -a " + other + " sleep 1000", dir, LocalExecutorTest.ENV, null,
                                        null), new RecordingSink(), cancelOther));
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }));
                        Procs.awaitNamed(other, 2, Duration.ofSeconds(3));
                    });
            assertTimedOutQuickly(o);
            assertEquals(List.of(), Procs.mentioning(m), () -> "processes survived the command\n" + o.sink());
            assertEquals(2, Procs.named(other), "the other command's processes were stopped too");
            assertEquals(readersOfASilentCommand(), OutputPump.runningReaders(), "only the other command's readers still run");
        } finally {
            cancelOther.cancel("test over");
            if (otherThread.get() != null) {
                otherThread.get().join(Duration.ofSeconds(5));
            }
            Procs.killMentioning(other);
        }
        assertTrue(otherResult.get().cancelled());
        assertEquals(List.of(), Procs.mentioning(other));
        assertEquals(0, OutputPump.runningReaders());
    }

    /**
     * The documented limit: a process that makes a session of its own and lets go of the
     * step's output is a daemon on purpose, and outlives the step.
     */
    @Test
    void aRealDaemonOutlivesTheStep() throws InterruptedException {
        Outcome o = run("(setsid bash -c 'exec -a " + m + " sleep 1000' </dev/null >/dev/null 2>&1 &); echo ready; sleep 0.3",
                null, 1);
        assertEquals(0, o.result().exitCode());
        assertEquals("", o.sink().err());
        assertEquals(1, Procs.named(m), "the daemon was stopped after all: update docs/runners.md");
    }

    /** Waits until the process named {@code marker} is no descendant of {@code shell}; returns whether it came to that. */
    private static boolean orphaned(long shell, String marker) {
        long pid = pidNamed(marker);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(shell).stream().flatMap(ProcessHandle::descendants).noneMatch(d -> d.pid() == pid)) {
                return true;
            }
            Procs.sleep(5);
        }
        return false;
    }

    private static long pidNamed(String marker) {
        for (String entry : Procs.mentioning(marker)) {
            if (entry.substring(entry.indexOf(':') + 2).startsWith(marker + " ")) {
                return Long.parseLong(entry.substring(0, entry.indexOf(':')));
            }
        }
        throw new AssertionError("no process is named " + marker);
    }

    /** "PGRP SESSION" of the process named {@code marker}. */
    private static String groupAndSession(String marker) {
        return ProcTable.stat(pidNamed(marker)).map(s -> s.pgrp() + " " + s.session()).orElseThrow();
    }
}
