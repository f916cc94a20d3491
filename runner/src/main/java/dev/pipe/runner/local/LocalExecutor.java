package dev.pipe.runner.local;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.Executor;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p><b>Processes.</b> On Linux the shell leads a session of its own (through setsid), so all
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
 * start (no such shell or working directory, a script too long to pass) ends with 127 and a line on stderr saying why; one
 * whose run is already cancelled does not start and reports cancelled with 143.
 * Interrupting the calling thread stops the command like a cancel, then throws
 * {@link InterruptedException}.
 */
public final class LocalExecutor implements Executor {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** The exit code of a command that could not start, as shells report a missing command. */
    public static final int CANNOT_START = 127;
    private static final int SIGTERM = 15;
    /** Linux's limit on one argument of a program, its terminating NUL included (MAX_ARG_STRLEN). */
    private static final int MAX_ARGUMENT = 128 * 1024;
    private static final File DEV_NULL = new File("/dev/null");

    private enum Stop {
        TIMED_OUT, CANCELLED, INTERRUPTED
    }

    private final Duration grace;
    private final Sessions sessions;
    private final Shells shells = new Shells();

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
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative: " + grace);
        }
        this.grace = grace;
        this.sessions = sessions;
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
        List<String> argv;
        try {
            if (!Files.isDirectory(command.workdir())) {
                throw new Shells.NotFound("the working directory " + command.workdir() + " does not exist");
            }
            int length = command.script().getBytes(StandardCharsets.UTF_8).length;
            if (length >= MAX_ARGUMENT) {
                throw new Shells.NotFound("the script is " + length + " bytes long, and Linux passes at most "
                        + (MAX_ARGUMENT - 1) + " to a shell; put it in a file and run the file");
            }
            argv = shells.command(command.script(), command.shell(), command.env().get("PATH"), command.workdir());
        } catch (Shells.NotFound e) {
            return cannotStart(sink, e.getMessage(), started);
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(command.workdir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        builder.environment().clear();
        builder.environment().putAll(command.env());
        ProcTable.Mark mark = shells.ownSession() ? ProcTable.mark() : null;
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return cannotStart(sink, e.getMessage(), started);
        }
        ProcessTree tree = new ProcessTree(process, shells.ownSession(), mark);
        boolean noted = sessions != null && shells.ownSession();
        try {
            if (noted) {
                sessions.started(process.toHandle());
            }
            return run(command, process, tree, sink, cancel, started);
        } finally {
            tree.release();
            if (noted) {
                sessions.ended(process.toHandle());
            }
        }
    }

    private ExecResult run(ShellCommand command, Process process, ProcessTree tree, OutputSink sink,
            Cancellation cancel, long started) throws InterruptedException {
        OutputPump pump = new OutputPump(sink);
        Thread out = pump.start(process.getInputStream(), OutputSink.Stream.STDOUT, process.pid());
        Thread err = pump.start(process.getErrorStream(), OutputSink.Stream.STDERR, process.pid());
        AtomicReference<Stop> stop = new AtomicReference<>();
        CountDownLatch wake = new CountDownLatch(1);
        process.onExit().thenRun(wake::countDown);
        Runnable unregister = cancel.onCancel(() -> {
            stop.compareAndSet(null, Stop.CANCELLED);
            wake.countDown();
        });
        boolean interrupted = false;
        int exitCode;
        Stop reason;
        String leftovers = null;
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
            // A stop that came after the shell ended changes nothing: it finished on its own.
            reason = process.isAlive() ? stop.get() : null;
            if (reason != null) {
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
            if (process.isAlive()) {
                tree.terminate(Duration.ZERO);
            }
        }
        interrupted |= tree.interrupted();
        exitCode = waitQuietly(process);
        interrupted |= finish(out, process.getInputStream());
        interrupted |= finish(err, process.getErrorStream());
        if (leftovers != null) {
            pump.note(OutputSink.Stream.STDERR, "pipe: the command ended but left processes running; they were stopped: "
                    + leftovers + "\n");
        }
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

    /** Waits for the shell to be reaped; an interrupt now is only remembered. */
    private static int waitQuietly(Process process) {
        boolean interrupted = false;
        while (true) {
            try {
                int code = process.waitFor();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return code;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /**
     * Waits for a reader to deliver the rest of the output. The JDK closes a process's pipes once
     * it is reaped, so the reader ends soon; should it not, its pipe is closed under it.
     * Returns whether the thread was interrupted meanwhile.
     */
    private static boolean finish(Thread reader, InputStream stream) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean closed = false;
        while (reader.isAlive()) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (closed) {
                        break;
                    }
                    closeQuietly(stream);
                    closed = true;
                    deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    continue;
                }
                reader.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // nothing more to read either way
        }
    }
}
