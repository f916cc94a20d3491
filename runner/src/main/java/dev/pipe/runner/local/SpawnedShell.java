package dev.pipe.runner.local;

import dev.pipe.engine.run.OutputSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A shell the spawner started. Its frames come in order on the thread that reads the spawner,
 * which must never wait on a sink: output goes to a virtual thread of the command's own, started
 * with the first output, which delivers it to the sink and acknowledges it (so the spawner reads
 * on). The exit frame comes after the last output; it ends the command on that thread, or right
 * away when there was no output. The shell is not pipe's child, so the JDK could only poll for
 * its end; the exit frame says it at once.
 */
final class SpawnedShell implements Launched {
    private final Spawner spawner;
    private final Spawner.Request request;
    private final OutputPump pump;
    /** Runs on the spawner's reader once the shell has started, with its pid and handle: to note its session. */
    private final java.util.function.BiConsumer<Long, ProcessHandle> onStarted;
    /** Completed when the spawner said it started the shell, could not, or died first. */
    private final CompletableFuture<Void> known = new CompletableFuture<>();
    private volatile long pid = -1;
    private volatile ProcessHandle handle;
    private volatile List<String> pipes = List.of();
    private volatile RuntimeException startFailure;
    /** Completed after the exit frame or the spawner's loss, once all output before it was delivered. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Set by the spawner's reader with the first output; it alone writes these two. */
    private volatile Thread reader;
    private BlockingQueue<Spawner.Frame> frames;
    private volatile int exitCode = -1;
    private volatile String lost;

    private SpawnedShell(Spawner spawner, Spawner.Request request, OutputPump pump,
            java.util.function.BiConsumer<Long, ProcessHandle> onStarted) {
        this.spawner = spawner;
        this.request = request;
        this.pump = pump;
        this.onStarted = onStarted;
    }

    /**
     * Has the spawner start {@code argv}, and returns at once: the caller waits only for the
     * end (one hand-off between threads per command instead of two). When the spawner says it
     * started the shell, {@code onStarted} runs with its pid and handle on the thread that reads the
     * spawner, before any output is handed on. A shell the spawner could not start ends with
     * exit code 127 and the reason on stderr, as pipe says it of any command that cannot start.
     *
     * @throws Spawner.Dead when the spawner is gone and the request did not reach it
     */
    static SpawnedShell start(Spawner spawner, List<String> argv, Map<String, String> env, Path workdir, OutputPump pump,
            java.util.function.BiConsumer<Long, ProcessHandle> onStarted) throws Spawner.Dead {
        Spawner.Request request = spawner.start(argv, env, workdir);
        SpawnedShell shell = new SpawnedShell(spawner, request, pump, onStarted);
        request.attachAll(shell::frame);
        return shell;
    }

    /** Waits until the spawner said whether it started the shell; an interrupt meanwhile is kept. */
    private void awaitKnown() {
        known.join();
    }

    /** What went wrong noting the started shell ({@code onStarted}), or null. */
    RuntimeException startFailure() {
        awaitKnown();
        return startFailure;
    }

    /** On the spawner's reader, one frame at a time: never waits. */
    private void frame(Spawner.Frame f) {
        if (!known.isDone()) {
            if (f.type() == Spawner.Frame.STARTED) {
                started(new String(f.data(), StandardCharsets.UTF_8));
                return;
            }
            // No shell: the spawner could not start one (the reason, then exit 127), or died.
            known.complete(null);
        }
        boolean last = f.type() == Spawner.Frame.EXIT || f.type() == Spawner.Frame.LOST;
        if (reader == null && last) {
            end(f);
            ended.complete(null);
            return;
        }
        if (reader == null) {
            frames = new LinkedBlockingQueue<>();
            reader = OutputPump.start("pipe-spawned-" + request.id, this::read);
        }
        frames.add(f);
    }

    private void started(String text) {
        try {
            String[] f = text.split(" ");
            long p = Long.parseLong(f[0]);
            pipes = List.of("pipe:[" + f[1] + "]", "pipe:[" + f[2] + "]");
            // Gone already when a quick command was reaped before its start was read.
            handle = ProcessHandle.of(p).orElse(null);
            pid = p;
            onStarted.accept(p, handle);
        } catch (RuntimeException e) {
            startFailure = e;
        } finally {
            known.complete(null);
        }
    }

    private void end(Spawner.Frame f) {
        if (f.type() == Spawner.Frame.EXIT) {
            exitCode = ByteBuffer.wrap(f.data()).getInt();
        } else {
            lost = new String(f.data(), StandardCharsets.UTF_8);
        }
    }

    private void read() {
        OutputPump.Decoder out = pump.decoder(OutputSink.Stream.STDOUT);
        OutputPump.Decoder err = pump.decoder(OutputSink.Stream.STDERR);
        int[] unacknowledged = new int[3];
        try {
            while (true) {
                Spawner.Frame f = take();
                switch (f.type()) {
                    case Spawner.Frame.STDOUT, Spawner.Frame.STDERR -> {
                        int stream = f.type() - '0';
                        (stream == 1 ? out : err).feed(f.data(), 0, f.data().length);
                        unacknowledged[stream] += f.data().length;
                        // Acknowledged in batches; never as late as a full window, or the spawner would wait forever.
                        if (unacknowledged[stream] >= Spawner.WINDOW / 4) {
                            spawner.ack(request, stream, unacknowledged[stream]);
                            unacknowledged[stream] = 0;
                        }
                    }
                    case Spawner.Frame.CANNOT_START -> pump.note(OutputSink.Stream.STDERR,
                            "pipe: cannot start the command: " + new String(f.data(), StandardCharsets.UTF_8) + "\n");
                    case Spawner.Frame.EXIT, Spawner.Frame.LOST -> {
                        end(f);
                        return;
                    }
                    default -> throw new IllegalStateException("unexpected frame " + (char) f.type() + " from the spawner");
                }
            }
        } finally {
            out.end();
            err.end();
            ended.complete(null);
        }
    }

    /** The next frame; nothing interrupts this thread, but an interrupt must not lose a frame. */
    private Spawner.Frame take() {
        while (true) {
            try {
                return frames.take();
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }

    /** The shell's pid, once the spawner said; -1 when it could not start one. Waits for the spawner's word. */
    @Override
    public long pid() {
        awaitKnown();
        return pid;
    }

    @Override
    public ProcessHandle handle() {
        awaitKnown();
        return handle;
    }

    @Override
    public long helper() {
        return spawner.pid();
    }

    /** Until the exit frame; and after the spawner's loss, as long as /proc shows the shell. */
    @Override
    public boolean running() {
        awaitKnown();
        return (!ended.isDone() || lost != null) && handle != null && ProcessTree.alive(handle);
    }

    @Override
    public String lost() {
        return lost;
    }

    @Override
    public void onEnd(Runnable action) {
        ended.thenRun(action);
    }

    @Override
    public List<String> pipes() {
        awaitKnown();
        return pipes;
    }

    @Override
    public End finish() {
        boolean interrupted = Thread.interrupted();
        ended.join();
        interrupted |= Thread.interrupted();
        // The reader, if output started one, completed `ended` as its last act; now it is gone too.
        Thread t = reader;
        while (t != null) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return new End(exitCode, lost, interrupted);
    }

    @Override
    public void release() {
        spawner.done(request);
    }
}
