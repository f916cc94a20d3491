package dev.pipe.runner.local;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.Executor;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;
import java.io.File;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Runs a command as a local process: {@code bash -eo pipefail -c SCRIPT} (or {@code sh -e -c}
 * where bash is missing; a step's own shell gets {@code -c}, with {@code -eo pipefail} for bash
 * and {@code -e} for sh), in the command's working directory, with exactly the command's
 * environment and stdin from /dev/null.
 *
 * <p><b>The environment is exactly {@link ShellCommand#env()}</b>, nothing inherited. Callers
 * must pass PATH: without it bash falls back to a built-in search path and the programs it
 * starts see no PATH at all. {@link #baseEnvironment()} gives the basics to start from.
 *
 * <p><b>Output</b> goes to the sink chunk by chunk as it arrives, stdout and stderr apart,
 * decoded as UTF-8 without ever splitting a character. Calls to the sink never overlap, and
 * {@link OutputSink#close()} is called once when the command is over, after the last write.
 *
 * <p><b>Processes.</b> On Linux the shell leads a session of its own (the spawner calls setsid
 * for it, or it is started through the setsid program), so all
 * it starts is found again: every process of the session whatever its process group
 * (background jobs, nohup, disown, job control), the shell's descendants, and any process
 * started meanwhile that still holds the command's stdout or stderr. On timeout or cancel all
 * of them get SIGTERM, and SIGKILL whatever is left after the grace period. When the shell ends
 * while some of them still run, they are stopped the same way (and a note on stderr names
 * them): nothing a step starts outlives it. A process that calls setsid itself and lets go of
 * the output (a real daemon) is out of reach. See docs/runners.md.
 *
 * <p><b>Result.</b> The shell's exit code; 128 + N when a signal N ended it. {@code timedOut}
 * and {@code cancelled} say that the executor stopped it for that reason. A command that cannot
 * start (no such shell or working directory, a script too long to pass, a NUL character in the
 * script or the environment) ends with 127 and a line on stderr saying why; one whose run is
 * already cancelled does not start and reports cancelled with 143.
 * Interrupting the calling thread stops the command like a cancel, then throws
 * {@link InterruptedException}.
 *
 * <p><b>Starting.</b> Where /proc is found, commands are started by a {@link Spawner}: one
 * helper process for the executor, started with the first command, which starts each command
 * in a session of its own, far cheaper than the JVM's ProcessBuilder. The native spawner is
 * used where the build could compile it, else the Perl one where perl is found;
 * {@code PIPE_SPAWNER=perl} asks for the Perl one. Should it die, the commands it was running
 * are stopped and fail with {@link #LOST} and a line on stderr, and the next command starts a
 * new one. When pipe dies, even by SIGKILL, the spawner kills the sessions of the commands that
 * were running. Without either spawner, or with {@code PIPE_SPAWNER=off} in the environment,
 * the JVM starts each command itself through setsid. Every way keeps every promise above.
 */
public final class LocalExecutor implements Executor, AutoCloseable {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** The exit code of a command that could not start, as shells report a missing command. */
    public static final int CANNOT_START = 127;
    /** The exit code of a command whose spawner died under it: its own is unknown, and it was stopped. */
    public static final int LOST = 137;
    private static final int SIGTERM = 15;
    /** Linux's limit on one argument of a program, its terminating NUL included (MAX_ARG_STRLEN). */
    private static final int MAX_ARGUMENT = 128 * 1024;
    private static final File DEV_NULL = new File("/dev/null");

    private static final Cleaner CLEANER = Cleaner.create();

    private enum Stop {
        TIMED_OUT, CANCELLED, INTERRUPTED
    }

    /** Who starts the commands. */
    public enum Spawning {
        /** As PIPE_SPAWNER says: {@code off} the JVM, {@code perl} the Perl spawner, else as {@link #SPAWNER}. */
        AUTO,
        /** The native spawner where it was built, else the Perl one where perl is found; else the JVM. */
        SPAWNER,
        /** The native spawner; the JVM where it was not built. */
        NATIVE,
        /** The Perl spawner; the JVM without perl. */
        PERL,
        /** The JVM, through ProcessBuilder and setsid. */
        PROCESS_BUILDER
    }

    private final Duration grace;
    private final Sessions sessions;
    private final Shells shells = new Shells();
    /** Null when the JVM starts the commands. */
    private final Spawners spawners;

    public LocalExecutor() {
        this(DEFAULT_GRACE);
    }

    /** @param grace how long a terminated command may take to exit before it is killed */
    public LocalExecutor(Duration grace) {
        this(grace, null);
    }

    /**
     * @param sessions where to note the sessions of running steps, so that a later process can
     *     end them if this one is killed; null to note nothing
     */
    public LocalExecutor(Duration grace, Sessions sessions) {
        this(grace, sessions, Spawning.AUTO);
    }

    public LocalExecutor(Duration grace, Sessions sessions, Spawning spawning) {
        this(grace, sessions, ProcTable.available() ? programs(spawning) : List.of());
    }

    /** The spawners to try, in order, for {@code spawning}; none when the JVM starts the commands. */
    private static List<Spawner.Program> programs(Spawning spawning) {
        String wish = System.getenv("PIPE_SPAWNER");
        Spawning chosen = spawning != Spawning.AUTO ? spawning
                : "off".equalsIgnoreCase(wish) ? Spawning.PROCESS_BUILDER
                : "perl".equalsIgnoreCase(wish) ? Spawning.PERL
                : Spawning.SPAWNER;
        Spawner.Program installed = chosen == Spawning.SPAWNER || chosen == Spawning.NATIVE ? Spawner.Program.installed() : null;
        String perl = chosen == Spawning.SPAWNER || chosen == Spawning.PERL ? Shells.find("perl", System.getenv("PATH")) : null;
        List<Spawner.Program> out = new java.util.ArrayList<>();
        if (installed != null) {
            out.add(installed);
        }
        if (perl != null) {
            out.add(Spawner.Program.perl(perl));
        }
        return out;
    }

    /**
     * @param programs the spawners to try, in order, the next when one will not start; none to
     *     start commands through the JVM
     */
    LocalExecutor(Duration grace, Sessions sessions, List<Spawner.Program> programs) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative: " + grace);
        }
        this.grace = grace;
        this.sessions = sessions;
        this.spawners = programs.isEmpty() ? null : new Spawners(programs);
        if (spawners != null) {
            // An executor dropped without close() must not leave its spawner waiting for the JVM to end.
            CLEANER.register(this, spawners);
        }
    }

    /**
     * Starts the spawner now, in the background, so that the first command does not wait for
     * perl to start (some 30 ms). Does nothing when commands start through the JVM.
     */
    public void warmUp() {
        if (spawners != null) {
            Thread.ofVirtual().name("pipe-spawner-warm-up").start(() -> {
                try {
                    spawners.get();
                } catch (RuntimeException e) {
                    // The first command finds out, and says so.
                }
            });
        }
    }

    /** Whether commands are started by a spawner (so far: one that would not start turns this off). */
    boolean spawns() {
        return spawners != null && !spawners.broken();
    }

    /** Which spawner starts the commands ("the native spawner", "perl"), or null when the JVM does. */
    String spawnerName() {
        return spawners == null || spawners.broken() ? null : spawners.name();
    }

    /** The pid of the spawner running now, or -1. */
    long spawnerPid() {
        return spawners == null ? -1 : spawners.pid();
    }

    /**
     * Ends the spawner, if one runs; it kills what is left of the sessions of commands that are
     * still running. The next command starts a new one. Call it once the executor is no longer
     * needed: a JVM that exits while the spawner still runs waits 300 ms for the thread that reads
     * it (HotSpot waits that long for threads blocked in native code).
     */
    @Override
    public void close() {
        if (spawners != null) {
            spawners.run();
        }
        if (sessions != null) {
            sessions.close();
        }
    }

    /** The executor's spawner: started on first use, and again after one died. */
    private static final class Spawners implements Runnable {
        /** The programs left to try; the first is the one that works so far. */
        private final List<Spawner.Program> programs;
        private final ReentrantLock lock = new ReentrantLock();
        private Spawner current;
        private volatile boolean broken;

        Spawners(List<Spawner.Program> programs) {
            this.programs = new java.util.ArrayList<>(programs);
        }

        /** The spawner's name, such as "the native spawner" or "perl", or null when the JVM starts commands. */
        String name() {
            lock.lock();
            try {
                return programs.isEmpty() ? null : programs.get(0).name();
            } finally {
                lock.unlock();
            }
        }

        /** The running spawner, or null when none would start: then the JVM starts commands. */
        Spawner get() {
            lock.lock();
            try {
                if (current != null && current.alive()) {
                    return current;
                }
                if (broken) {
                    return null;
                }
                current = null;
                while (!programs.isEmpty()) {
                    try {
                        current = Spawner.start(programs.get(0));
                        return current;
                    } catch (IOException e) {
                        // Not this one, ever again: try the next.
                        programs.remove(0);
                    }
                }
                broken = true;
                return null;
            } finally {
                lock.unlock();
            }
        }

        boolean broken() {
            return broken;
        }

        long pid() {
            lock.lock();
            try {
                return current != null && current.alive() ? current.pid() : -1;
            } finally {
                lock.unlock();
            }
        }

        /** Closes the spawner; also the Cleaner's action, so it must not reach the executor. */
        @Override
        public void run() {
            lock.lock();
            try {
                if (current != null) {
                    current.close();
                    current = null;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The parts of pipe's own environment a command needs to behave as in a login shell: PATH
     * (a system default when unset), HOME, USER, LOGNAME, SHELL, TMPDIR, TZ, LANG, LANGUAGE and
     * LC_*. Not TERM: commands do not run on a terminal.
     */
    public static Map<String, String> baseEnvironment() {
        return baseEnvironment(System.getenv());
    }

    static Map<String, String> baseEnvironment(Map<String, String> from) {
        Map<String, String> env = new TreeMap<>();
        for (String name : List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE")) {
            String value = from.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        from.forEach((name, value) -> {
            if (name.startsWith("LC_")) {
                env.put(name, value);
            }
        });
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Collections.unmodifiableMap(env);
    }

    @Override
    public ExecResult exec(ShellCommand command, OutputSink sink, Cancellation cancel) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the command started");
        }
        Objects.requireNonNull(command.workdir(), "a command needs a working directory");
        long started = System.nanoTime();
        if (cancel.isCancelled()) {
            sink.close();
            return new ExecResult(128 + SIGTERM, false, true, Duration.ZERO);
        }
        OutputPump pump = new OutputPump(sink);
        Launched shell;
        ProcTable.Mark mark;
        boolean spawned;
        try {
            checkStartable(command);
            Spawner spawner = spawners == null ? null : spawners.get();
            mark = spawner != null || shells.ownSession() ? ProcTable.mark() : null;
            shell = spawner != null ? spawn(spawner, command, pump) : startProcess(command, pump);
            // spawn() starts the command through the JVM when no spawner will start any more.
            spawned = shell instanceof SpawnedShell;
        } catch (Shells.NotFound | Launched.NotStarted e) {
            return cannotStart(sink, e.getMessage(), started);
        }
        // The spawner's commands always lead a session of their own (noted as the spawner reports them).
        boolean ownSession = spawned || shells.ownSession();
        if (!spawned && ownSession) {
            noteStarted(shell.pid(), shell.handle());
        }
        try {
            return run(command, shell, ownSession, mark, pump, sink, cancel, started);
        } finally {
            long pid = shell.pid();
            if (pid >= 0 && ownSession) {
                ProcessTree.released(pid);
                if (sessions != null) {
                    sessions.ended(pid);
                }
            }
            shell.release();
        }
    }


    /** A command's session is running: other commands' trees leave it alone, and a later pipe can end it. */
    private void noteStarted(long pid, ProcessHandle handle) {
        ProcessTree.running(pid);
        if (sessions != null) {
            sessions.started(pid, handle);
        }
    }

    /** Fails early, with the reason, what no shell could be given. */
    private static void checkStartable(ShellCommand command) throws Shells.NotFound {
        if (!Files.isDirectory(command.workdir())) {
            throw new Shells.NotFound("the working directory " + command.workdir() + " does not exist");
        }
        int length = command.script().getBytes(StandardCharsets.UTF_8).length;
        if (length >= MAX_ARGUMENT) {
            throw new Shells.NotFound("the script is " + length + " bytes long, and Linux passes at most "
                    + (MAX_ARGUMENT - 1) + " to a shell; put it in a file and run the file");
        }
        if (command.script().indexOf('\0') >= 0) {
            throw new Shells.NotFound("the script holds a NUL character, which no program can be given");
        }
        for (Map.Entry<String, String> e : command.env().entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new Shells.NotFound("`" + name.replace('\0', '?') + "` cannot be the name of an environment variable");
            }
            // The value may be a secret: never show it.
            if (e.getValue().indexOf('\0') >= 0) {
                throw new Shells.NotFound("the environment variable " + name
                        + " holds a NUL character, which no program can be given");
            }
        }
    }

    /** Has the spawner start the command; should it have died since the last one, a new one starts it. */
    private Launched spawn(Spawner spawner, ShellCommand command, OutputPump pump)
            throws Shells.NotFound, Launched.NotStarted {
        // The spawner runs in /, while ProcessBuilder takes a relative directory from pipe's own.
        Path workdir = command.workdir().toAbsolutePath();
        List<String> argv = shells.command(command.script(), command.shell(), command.env().get("PATH"), workdir, false);
        try {
            return SpawnedShell.start(spawner, argv, command.env(), workdir, pump, this::noteStarted);
        } catch (Spawner.Dead e) {
            Spawner again = spawners.get();
            if (again == null) {
                return startProcess(command, pump);
            }
            try {
                return SpawnedShell.start(again, argv, command.env(), workdir, pump, this::noteStarted);
            } catch (Spawner.Dead twice) {
                throw new Launched.NotStarted(twice.getMessage());
            }
        }
    }

    /** Starts the command through ProcessBuilder (and setsid). */
    private Launched startProcess(ShellCommand command, OutputPump pump) throws Shells.NotFound, Launched.NotStarted {
        List<String> argv = shells.command(command.script(), command.shell(), command.env().get("PATH"),
                command.workdir(), shells.ownSession());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(command.workdir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        builder.environment().clear();
        builder.environment().putAll(command.env());
        try {
            return new Launched.OfProcess(builder.start(), pump, shells.ownSession());
        } catch (IOException e) {
            throw new Launched.NotStarted(e.getMessage());
        }
    }

    private ExecResult run(ShellCommand command, Launched shell, boolean ownSession, ProcTable.Mark mark, OutputPump pump,
            OutputSink sink, Cancellation cancel, long started) throws InterruptedException {
        AtomicReference<Stop> stop = new AtomicReference<>();
        CountDownLatch wake = new CountDownLatch(1);
        shell.onEnd(wake::countDown);
        Runnable unregister = cancel.onCancel(() -> {
            stop.compareAndSet(null, Stop.CANCELLED);
            wake.countDown();
        });
        boolean interrupted = false;
        Stop reason;
        String leftovers = null;
        ProcessTree tree = null;
        try {
            try {
                Duration timeout = command.timeout();
                if (timeout == null) {
                    wake.await();
                } else if (!wake.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
                    stop.compareAndSet(null, Stop.TIMED_OUT);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                stop.compareAndSet(null, Stop.INTERRUPTED);
            }
            // The tree is made once there is something to look for: after the end, a stop, or a timeout.
            tree = new ProcessTree(shell, ownSession, mark);
            // A stop that came after the shell ended changes nothing: it finished on its own.
            reason = shell.running() ? stop.get() : null;
            if (reason != null || shell.lost() != null) {
                // The spawner died: nobody will report the shell's end, so it is ended here.
                tree.terminate(grace);
            } else {
                List<ProcessHandle> left = tree.members();
                if (!left.isEmpty()) {
                    leftovers = describe(left);
                    tree.terminate(grace);
                }
            }
        } finally {
            unregister.run();
            // Whatever went wrong above, no process of the command may outlive this call.
            if (shell.running()) {
                (tree != null ? tree : new ProcessTree(shell, ownSession, mark)).terminate(Duration.ZERO);
            }
        }
        interrupted |= tree.interrupted();
        Launched.End end = shell.finish();
        if (shell instanceof SpawnedShell spawnedShell && spawnedShell.startFailure() != null) {
            // The shell ran and is gone, but its session could not be noted: say so, as before it ran.
            throw spawnedShell.startFailure();
        }
        interrupted |= end.interrupted();
        if (leftovers != null) {
            pump.note(OutputSink.Stream.STDERR, "pipe: the command ended but left processes running; they were stopped: "
                    + leftovers + "\n");
        }
        if (end.lost() != null) {
            pump.note(OutputSink.Stream.STDERR, "pipe: " + end.lost() + "; the command was stopped\n");
        }
        int exitCode = end.lost() != null ? LOST : end.exitCode();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        RuntimeException failure = pump.failure();
        try {
            sink.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (interrupted) {
            if (stop.get() == Stop.INTERRUPTED) {
                throw new InterruptedException("interrupted; the command was stopped");
            }
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return new ExecResult(exitCode, reason == Stop.TIMED_OUT, reason == Stop.CANCELLED, took);
    }

    private static ExecResult cannotStart(OutputSink sink, String why, long started) {
        try {
            sink.write(OutputSink.Stream.STDERR, "pipe: cannot start the command: " + why + "\n");
        } finally {
            sink.close();
        }
        return new ExecResult(CANNOT_START, false, false, Duration.ofNanos(System.nanoTime() - started));
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream()
                .map(p -> p.info().command().map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("?")
                        + " (pid " + p.pid() + ")")
                .collect(Collectors.joining(", "));
    }
}
