package dev.pipe.runner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.Executor;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs each command with {@code docker exec} in one running container, the stage's: the
 * environment is exactly the command's (added to the image's own, so the image's PATH holds
 * unless the command sets one), the working directory is the command's, mapped into the
 * container, and stdout and stderr reach the sink apart, as they are written.
 *
 * <p>The shell is the local runner's: {@code bash -eo pipefail} where the image has bash,
 * {@code sh -e} where it does not. Every command gets {@code PIPE_EXEC_ID}, unique in the run:
 * on timeout or cancel every process in the container whose environment holds it gets SIGTERM,
 * and SIGKILL after the grace period (this needs {@code grep} and {@code kill} in the image, as
 * busybox, Alpine and Debian images have). The container stays up for the next step.
 */
final class ContainerExecutor implements Executor {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    private static final AtomicLong EXECS = new AtomicLong();
    /** Picks bash when the image has it, as the local runner does on a machine. */
    private static final String DEFAULT_SHELL = "if command -v bash >/dev/null 2>&1; then exec bash -eo pipefail -c \"$1\";"
            + " else exec sh -e -c \"$1\"; fi";
    /** Signals every process of one exec: those whose environment holds its PIPE_EXEC_ID. */
    private static final String SIGNAL = "for p in /proc/[0-9]*; do [ \"$p\" = /proc/$$ ] && continue;"
            + " grep -q \"PIPE_EXEC_ID=$2\" \"$p/environ\" 2>/dev/null && kill -s \"$1\" \"${p#/proc/}\" 2>/dev/null; done; true";

    private final DockerClient client;
    private final String container;
    private final Function<Path, String> paths;
    private final Duration grace;
    private final String tag = Long.toString(ProcessHandle.current().pid(), 36);

    /**
     * @param paths maps a folder on this machine to where it is in the container
     */
    ContainerExecutor(DockerClient client, String container, Function<Path, String> paths, Duration grace) {
        this.client = client;
        this.container = container;
        this.paths = paths;
        this.grace = grace;
    }

    static List<String> commandLine(String shell, String script) {
        if (shell == null) {
            return List.of("sh", "-c", DEFAULT_SHELL, "pipe", script);
        }
        String name = shell.substring(shell.lastIndexOf('/') + 1);
        return switch (name) {
            case "bash" -> List.of(shell, "-eo", "pipefail", "-c", script);
            case "sh", "dash", "ash" -> List.of(shell, "-e", "-c", script);
            default -> List.of(shell, "-c", script);
        };
    }

    @Override
    public ExecResult exec(ShellCommand command, OutputSink sink, Cancellation cancel) throws InterruptedException {
        long began = System.nanoTime();
        if (cancel.isCancelled()) {
            return new ExecResult(143, false, true, Duration.ZERO);
        }
        // x..x: no id is a prefix of another, so a grep for one never matches a longer one.
        String id = "x" + tag + "-" + EXECS.incrementAndGet() + "x";
        List<String> env = new ArrayList<>(command.env().size() + 1);
        for (Map.Entry<String, String> e : command.env().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        env.add("PIPE_EXEC_ID=" + id);
        String execId;
        try {
            execId = client.execCreateCmd(container).withCmd(commandLine(command.shell(), command.script()).toArray(String[]::new))
                    .withEnv(env).withWorkingDir(paths.apply(command.workdir())).withAttachStdout(true)
                    .withAttachStderr(true).exec().getId();
        } catch (RuntimeException e) {
            sink.write(OutputSink.Stream.STDERR, "pipe: cannot start the command in the stage's container: "
                    + DockerEngine.describe(e) + "\n");
            return new ExecResult(127, false, false, Duration.ofNanos(System.nanoTime() - began));
        }
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        Streamer streamer = new Streamer(sink, events);
        Runnable off = cancel.onCancel(() -> events.add("cancel"));
        boolean timedOut = false;
        boolean cancelled = false;
        try {
            client.execStartCmd(execId).exec(streamer);
            long deadline = command.timeout() == null ? Long.MAX_VALUE : began + command.timeout().toNanos();
            boolean interrupted = false;
            while (true) {
                String event;
                try {
                    long left = deadline - System.nanoTime();
                    event = deadline == Long.MAX_VALUE ? events.take() : events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    event = "interrupt";
                }
                if ("done".equals(event)) {
                    break;
                }
                if (event == null) {
                    timedOut = true;
                } else {
                    cancelled = true;
                }
                stop(id, streamer);
                if (interrupted) {
                    throw new InterruptedException();
                }
                break;
            }
        } finally {
            off.run();
            closeQuietly(streamer);
        }
        streamer.finish();
        int code = exitCode(execId, timedOut || cancelled);
        return new ExecResult(code, timedOut, cancelled && !timedOut, Duration.ofNanos(System.nanoTime() - began));
    }

    /** SIGTERM to the exec's processes, then SIGKILL to what is left after the grace period. */
    private void stop(String id, Streamer streamer) throws InterruptedException {
        signal("TERM", id);
        if (streamer.done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        signal("KILL", id);
        streamer.done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void signal(String signal, String id) throws InterruptedException {
        try {
            String exec = client.execCreateCmd(container).withCmd("sh", "-c", SIGNAL, "pipe", signal, id)
                    .withUser("0").exec().getId();
            try (ResultCallback.Adapter<Frame> r = client.execStartCmd(exec).exec(new ResultCallback.Adapter<>())) {
                r.awaitCompletion(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException | IOException e) {
            // the container is gone: so are its processes
        }
    }

    /** The exec's exit code; it may take the engine a moment to record it after the stream ends. */
    private int exitCode(String execId, boolean stopped) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            InspectExecResponse r;
            try {
                r = client.inspectExecCmd(execId).exec();
            } catch (RuntimeException e) {
                return stopped ? 137 : 125;
            }
            if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                return r.getExitCodeLong().intValue();
            }
            Thread.sleep(5);
        }
        return stopped ? 137 : 125;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the stream is over either way
        }
    }

    /** Hands each frame to the sink, decoded, stdout and stderr apart; says "done" when the stream ends. */
    private static final class Streamer extends ResultCallback.Adapter<Frame> {
        private final OutputSink sink;
        private final LinkedBlockingQueue<String> events;
        private final Utf8Stream out = new Utf8Stream();
        private final Utf8Stream err = new Utf8Stream();
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        Streamer(OutputSink sink, LinkedBlockingQueue<String> events) {
            this.sink = sink;
            this.events = events;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            boolean stderr = frame.getStreamType() == StreamType.STDERR;
            String text = (stderr ? err : out).decode(frame.getPayload());
            if (!text.isEmpty()) {
                sink.write(stderr ? OutputSink.Stream.STDERR : OutputSink.Stream.STDOUT, text);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // The stream broke (the engine went away, the container was removed): say so where the step's output goes.
            synchronized (this) {
                sink.write(OutputSink.Stream.STDERR, "pipe: the command's output stream from the container broke: "
                        + DockerEngine.describe(throwable) + "\n");
            }
            ended();
        }

        @Override
        public void onComplete() {
            ended();
        }

        private void ended() {
            done.countDown();
            events.add("done");
        }

        synchronized void finish() {
            String o = out.finish();
            if (!o.isEmpty()) {
                sink.write(OutputSink.Stream.STDOUT, o);
            }
            String e = err.finish();
            if (!e.isEmpty()) {
                sink.write(OutputSink.Stream.STDERR, e);
            }
        }
    }
}
