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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the spawner does: its death, its stdin's end, many commands at once through one
 * spawner. Both editions, native and Perl, must pass every test.
 */
@EnabledOnOs(OS.LINUX)
@ParameterizedClass(name = "{0}")
@EnumSource(value = LocalExecutor.Spawning.class, names = {"NATIVE", "PERL"})
class SpawnerTest {
    static final Duration GRACE = Duration.ofMillis(400);

    @TempDir
    Path dir;

    final String m = Procs.marker();

    @Parameter
    LocalExecutor.Spawning spawning;

    LocalExecutor executor;

    @BeforeEach
    void start() {
        Procs.requireSpawner(spawning);
        executor = new LocalExecutor(GRACE, null, spawning);
    }

    /** The spawner program under test. */
    Spawner.Program program() {
        return spawning == LocalExecutor.Spawning.NATIVE ? Spawner.Program.installed()
                : Spawner.Program.perl(Shells.find("perl", System.getenv("PATH")));
    }

    @AfterEach
    void stop() {
        Procs.killMentioning(m);
        executor.close();
    }

    ShellCommand command(String script, Duration timeout) {
        return new ShellCommand(script, dir, LocalExecutorTest.ENV, timeout, null);
    }

    @Test
    void aSpawnerKilledUnderARunningCommandFailsItCleanlyAndTheNextCommandGetsANewOne() throws Exception {
        AtomicReference<Long> killed = new AtomicReference<>();
        AtomicBoolean ready = new AtomicBoolean();
        RecordingSink sink = new RecordingSink((stream, soFar) -> {
            if (stream == OutputSink.Stream.STDOUT && soFar.contains("ready") && ready.compareAndSet(false, true)) {
                assertEquals(3, Procs.awaitNamed(m, 3, Duration.ofSeconds(3)), "the marked processes did not all start");
                long spawner = executor.spawnerPid();
                killed.set(spawner);
                ProcessHandle.of(spawner).orElseThrow().destroyForcibly();
            }
        });
        // A background job, one in a process group of its own, and the shell itself.
        long t0 = System.nanoTime();
        ExecResult r = executor.exec(command("(exec -a " + m + " sleep 1000) & set -m; (exec -a " + m + " sleep 1000) &"
                + " echo ready; exec -a " + m + " sleep 1000", Duration.ofSeconds(30)), sink, new Cancellation());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertNull(sink.misuse(), sink.misuse());
        assertEquals(LocalExecutor.LOST, r.exitCode(), sink::toString);
        assertFalse(r.timedOut() || r.cancelled());
        assertTrue(millis < GRACE.toMillis() + 3000, () -> "exec took " + millis + " ms");
        assertTrue(sink.err().matches("pipe: the spawner that starts pipe's commands \\(pid " + killed.get()
                + "\\) ended unexpectedly; the command was stopped\n"), sink.err());
        assertEquals(List.of(), Procs.mentioning(m), "processes survived the command");
        assertEquals(List.of(), Procs.zombieChildren(-1), "pipe left zombie children");
        assertEquals(0, OutputPump.runningReaders());
        assertEquals(1, sink.closes());

        RecordingSink next = new RecordingSink();
        ExecResult again = executor.exec(command("echo $PPID", null), next, new Cancellation());
        assertEquals(0, again.exitCode(), next::toString);
        assertNotEquals(killed.get(), Long.parseLong(next.out().strip()));
        assertEquals(executor.spawnerPid(), Long.parseLong(next.out().strip()));
    }

    @Test
    void aSpawnerThatDiedBetweenCommandsIsReplaced() throws Exception {
        assertEquals(0, executor.exec(command("true", null), new RecordingSink(), new Cancellation()).exitCode());
        long first = executor.spawnerPid();
        ProcessHandle spawner = ProcessHandle.of(first).orElseThrow();
        spawner.destroyForcibly();
        spawner.onExit().get(5, TimeUnit.SECONDS);
        RecordingSink sink = new RecordingSink();
        ExecResult r = executor.exec(command("echo $PPID", null), sink, new Cancellation());
        assertEquals(0, r.exitCode(), sink::toString);
        assertEquals("", sink.err());
        assertNotEquals(first, Long.parseLong(sink.out().strip()));
    }

    /**
     * What happens when pipe dies, even by SIGKILL: the spawner's stdin ends, and it kills every
     * process of the sessions of the commands pipe was not done with, by itself.
     */
    @Test
    void whenItsStdinEndsTheSpawnerKillsTheSessionsOfCommandsNotDone() throws Exception {
        String done = Procs.marker();
        Spawner spawner = Spawner.start(program());
        try {
            Map<String, String> env = LocalExecutorTest.ENV;
            // Still running: the shell, a background job, a job in a group of its own, a nohup'd process.
            Spawner.Request running = spawner.start(List.of("/bin/bash", "-c", "(exec -a " + m + " sleep 1000) & set -m;"
                    + " (exec -a " + m + " sleep 1000) & nohup bash -c 'exec -a " + m + " sleep 1000' >/dev/null 2>&1 &"
                    + " exec -a " + m + " sleep 1000"), env, dir);
            // The shell has exited, but pipe is not done with it: its leftover still counts.
            Spawner.Request exited = spawner.start(List.of("/bin/bash", "-c", "(exec -a " + m + " sleep 1000) &"), env, dir);
            // Pipe is done with this one, so what it left is pipe's business, not the spawner's.
            Spawner.Request released = spawner.start(List.of("/bin/bash", "-c",
                    "(exec -a " + done + " sleep 1000) </dev/null >/dev/null 2>&1 &"), env, dir);
            BlockingQueue<Spawner.Frame> ofRunning = follow(running);
            BlockingQueue<Spawner.Frame> ofExited = follow(exited);
            BlockingQueue<Spawner.Frame> ofReleased = follow(released);
            awaitExit(ofExited);
            awaitExit(ofReleased);
            spawner.done(released);
            assertEquals(5, Procs.awaitNamed(m, 5, Duration.ofSeconds(3)));
            assertEquals(1, Procs.awaitNamed(done, 1, Duration.ofSeconds(3)));

            spawner.close();
            // No one else stops them here: the spawner does it alone.
            assertEquals(Spawner.Frame.LOST, awaitEnd(ofRunning).type());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Procs.mentioning(m).isEmpty() && System.nanoTime() < deadline) {
                Procs.sleep(10);
            }
            assertEquals(List.of(), Procs.mentioning(m), "the sessions of running commands outlived the spawner");
            assertEquals(1, Procs.named(done), "the spawner killed a command pipe was done with");
        } finally {
            spawner.close();
            Procs.killMentioning(done);
        }
    }

    /** Checks that the command started, and collects its later frames. */
    private static BlockingQueue<Spawner.Frame> follow(Spawner.Request r) {
        assertEquals(Spawner.Frame.STARTED, r.first().type());
        BlockingQueue<Spawner.Frame> frames = new LinkedBlockingQueue<>();
        r.attach(frames::add);
        return frames;
    }

    private static void awaitExit(BlockingQueue<Spawner.Frame> frames) throws InterruptedException {
        Spawner.Frame f = awaitEnd(frames);
        assertEquals(Spawner.Frame.EXIT, f.type(), () -> new String(f.data(), StandardCharsets.UTF_8));
    }

    /** The command's last frame: its exit, or the news that the spawner is gone. */
    private static Spawner.Frame awaitEnd(BlockingQueue<Spawner.Frame> frames) throws InterruptedException {
        while (true) {
            Spawner.Frame f = frames.poll(10, TimeUnit.SECONDS);
            assertTrue(f != null, "no frame came");
            if (f.type() == Spawner.Frame.EXIT || f.type() == Spawner.Frame.LOST) {
                return f;
            }
        }
    }

    @Test
    void manyCommandsAtOnceThroughOneSpawnerKeepTheirOwnOutputAndExitCodes() throws Exception {
        int n = 60;
        List<Thread> threads = new ArrayList<>();
        List<AtomicReference<ExecResult>> results = new ArrayList<>();
        List<RecordingSink> sinks = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            int k = i;
            AtomicReference<ExecResult> result = new AtomicReference<>();
            RecordingSink sink = new RecordingSink();
            results.add(result);
            sinks.add(sink);
            // Every fifth command writes 300 KB to each stream: more than the window, so acknowledgements matter.
            String script = k % 5 == 0
                    ? "seq 1 50000 | sed 's/^/" + k + " /' & seq 1 50000 | sed 's/^/" + k + " /' >&2; wait; exit " + k % 7
                    : "echo out " + k + "; echo err " + k + " >&2; exit " + k % 7;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    result.set(executor.exec(command(script, Duration.ofSeconds(60)), sink, new Cancellation()));
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(90));
            assertFalse(t.isAlive(), "a command did not end");
        }
        assertEquals(List.of(), failures);
        for (int k = 0; k < n; k++) {
            RecordingSink sink = sinks.get(k);
            assertNull(sink.misuse(), sink.misuse());
            assertEquals(1, sink.closes());
            assertEquals(k % 7, results.get(k).get().exitCode(), sink::toString);
            if (k % 5 == 0) {
                int kk = k;
                String expected = IntStream.rangeClosed(1, 50000).mapToObj(i -> kk + " " + i)
                        .collect(Collectors.joining("\n", "", "\n"));
                assertEquals(expected, sink.out());
                assertEquals(expected, sink.err());
            } else {
                assertEquals("out " + k + "\n", sink.out());
                assertEquals("err " + k + "\n", sink.err());
            }
        }
        assertEquals(0, OutputPump.runningReaders());
        assertEquals(List.of(), Procs.zombieChildren(executor.spawnerPid()));
    }

    @Test
    void aSlowSinkHoldsUpOnlyItsOwnCommand() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blocked = new AtomicBoolean();
        RecordingSink slow = new RecordingSink((stream, soFar) -> {
            if (blocked.compareAndSet(false, true)) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        AtomicReference<ExecResult> slowResult = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                slowResult.set(executor.exec(command("seq 1 200000", Duration.ofSeconds(60)), slow, new Cancellation()));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!blocked.get() && System.nanoTime() < deadline) {
                Procs.sleep(5);
            }
            assertTrue(blocked.get(), "the slow command wrote nothing");
            // Its output fills its window and its pipe; other commands of the same spawner go on.
            for (int i = 0; i < 5; i++) {
                RecordingSink sink = new RecordingSink();
                ExecResult r = executor.exec(command("echo quick " + i, Duration.ofSeconds(10)), sink, new Cancellation());
                assertEquals(0, r.exitCode(), sink::toString);
                assertEquals("quick " + i + "\n", sink.out());
            }
            assertTrue(t.isAlive(), "the slow command was meant to be held up");
        } finally {
            release.countDown();
            t.join(Duration.ofSeconds(30));
        }
        assertEquals(0, slowResult.get().exitCode());
        assertEquals(IntStream.rangeClosed(1, 200000).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")),
                slow.out());
    }

    @Test
    void aSpawnerThatWillNotStartGivesWayToTheNextOne() throws Exception {
        Spawner.Program broken = new Spawner.Program("a broken spawner", List.of("/bin/false"), new byte[0]);
        try (LocalExecutor fallback = new LocalExecutor(GRACE, null, List.of(broken, program()))) {
            RecordingSink sink = new RecordingSink();
            ExecResult r = fallback.exec(command("echo $PPID", null), sink, new Cancellation());
            assertEquals(0, r.exitCode(), sink::toString);
            assertEquals(fallback.spawnerPid() + "\n", sink.out());
            assertEquals(program().name(), fallback.spawnerName());
        }
    }

    @Test
    void withoutAWorkingSpawnerTheJvmStartsTheCommands() throws Exception {
        Spawner.Program broken = new Spawner.Program(program().name(), List.of("/bin/false"), new byte[0]);
        try (LocalExecutor noPerl = new LocalExecutor(GRACE, null, List.of(broken))) {
            RecordingSink sink = new RecordingSink();
            ExecResult r = noPerl.exec(command("echo $PPID", null), sink, new Cancellation());
            assertEquals(0, r.exitCode(), sink::toString);
            assertEquals(ProcessHandle.current().pid() + "\n", sink.out());
            assertFalse(noPerl.spawns());
        }
    }

    @Test
    void anExecFailureInTheChildIsACommandThatCannotStart() throws Exception {
        // An executable file whose interpreter is missing: only exec itself can tell.
        Path shell = Files.writeString(dir.resolve("bad-shell"), "#!/no/such/interpreter\n");
        assertTrue(shell.toFile().setExecutable(true));
        RecordingSink sink = new RecordingSink();
        ExecResult r = executor.exec(new ShellCommand("true", dir, LocalExecutorTest.ENV, null, shell.toString()), sink,
                new Cancellation());
        assertEquals(LocalExecutor.CANNOT_START, r.exitCode(), sink::toString);
        assertEquals("pipe: cannot start the command: cannot run " + shell + ": No such file or directory\n", sink.err());
        assertEquals("", sink.out());
    }

    @Test
    void theShellGetsTheSignalDispositionsTheJvmWouldGiveIt() throws Exception {
        // The spawner ignores INT, QUIT, TERM, HUP and PIPE itself; none of that may reach a command.
        String script = "grep -E '^Sig(Blk|Ign)' /proc/$$/status; yes | head -1";
        RecordingSink spawned = new RecordingSink();
        ExecResult a = executor.exec(command(script, null), spawned, new Cancellation());
        RecordingSink started = new RecordingSink();
        try (LocalExecutor jvm = new LocalExecutor(GRACE, null, LocalExecutor.Spawning.PROCESS_BUILDER)) {
            ExecResult b = jvm.exec(command(script, null), started, new Cancellation());
            assertEquals(b.exitCode(), a.exitCode());
        }
        assertEquals(141, a.exitCode(), "yes ends by SIGPIPE, and pipefail reports it");
        assertEquals(started.out(), spawned.out());
    }

    @Test
    void sigintAndSigtermAreForPipeNotForTheSpawner() throws Exception {
        assertEquals(0, executor.exec(command("true", null), new RecordingSink(), new Cancellation()).exitCode());
        long spawner = executor.spawnerPid();
        // What Ctrl-C or a kill of pipe's process group would send it.
        new ProcessBuilder("kill", "-INT", Long.toString(spawner)).start().waitFor();
        new ProcessBuilder("kill", "-TERM", Long.toString(spawner)).start().waitFor();
        new ProcessBuilder("kill", "-HUP", Long.toString(spawner)).start().waitFor();
        RecordingSink sink = new RecordingSink();
        assertEquals(0, executor.exec(command("echo $PPID", null), sink, new Cancellation()).exitCode(), sink::toString);
        assertEquals(spawner + "\n", sink.out());
    }

    /** A JVM exiting with a thread blocked in a read waits 300 ms for it: close() leaves none. */
    @Test
    void closeEndsTheSpawnerAndTheThreadsThatReadIt() throws Exception {
        assertEquals(0, executor.exec(command("echo hi >&2", null), new RecordingSink(), new Cancellation()).exitCode());
        long spawner = executor.spawnerPid();
        ProcessHandle handle = ProcessHandle.of(spawner).orElseThrow();
        executor.close();
        handle.onExit().get(5, TimeUnit.SECONDS);
        List<String> readers = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.endsWith("-" + spawner) && n.startsWith("pipe-spawner")).toList();
        assertEquals(List.of(), readers);
        assertEquals(-1, executor.spawnerPid());
    }
}
