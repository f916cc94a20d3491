package dev.pipe.runner.local;

import dev.pipe.engine.run.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's shell once it started, whoever started it: the JVM ({@link OfProcess}) or the
 * spawner ({@link SpawnedShell}). Its output is already on its way to the sink.
 */
interface Launched {
    /** The command could not start; the message says why, in a few words. */
    final class NotStarted extends Exception {
        NotStarted(String message) {
            super(message);
        }
    }

    /**
     * How the command ended: the shell's exit code, or why it is unknown ({@code lost}, when the
     * spawner died under it); whether the caller was interrupted while waiting for it.
     */
    record End(int exitCode, String lost, boolean interrupted) {
    }

    long pid();

    /** The shell, or null when it had already ended and been reaped by the time it was looked up. */
    ProcessHandle handle();

    /** The process that started the shell and is not part of the command, or -1 for pipe itself. */
    long helper();

    /** Whether the shell may still be running: it has not been seen to end. */
    boolean running();

    /** Why the shell's end will never be reported, or null. */
    String lost();

    /** Runs {@code action} once the shell has ended, or once it is known that its end will not be reported. */
    void onEnd(Runnable action);

    /** The pipes of the shell's stdout and stderr as /proc names them ({@code pipe:[INODE]}); empty when unknown. */
    List<String> pipes();

    /**
     * Waits, through interrupts, until the shell's exit code is known and the rest of its output
     * has reached the sink. Call once the shell's processes are gone.
     */
    End finish();

    /** Pipe is done with the command and everything it started. */
    void release();

    /** A shell the JVM started through ProcessBuilder (and setsid where there is one). */
    final class OfProcess implements Launched {
        private final Process process;
        private final List<String> pipes = new ArrayList<>();
        private final Thread out;
        private final Thread err;

        OfProcess(Process process, OutputPump pump, boolean ownSession) {
            this.process = process;
            if (ownSession) {
                // Read at once: when the shell has already exited, so has every writer it could have made.
                for (int fd = 1; fd <= 2; fd++) {
                    String target = ProcTable.openFile(process.pid(), fd);
                    if (target != null && target.startsWith("pipe:")) {
                        pipes.add(target);
                    }
                }
            }
            this.out = pump.start(process.getInputStream(), OutputSink.Stream.STDOUT, process.pid());
            this.err = pump.start(process.getErrorStream(), OutputSink.Stream.STDERR, process.pid());
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public ProcessHandle handle() {
            return process.toHandle();
        }

        @Override
        public long helper() {
            return -1;
        }

        @Override
        public boolean running() {
            return process.isAlive();
        }

        @Override
        public String lost() {
            return null;
        }

        @Override
        public void onEnd(Runnable action) {
            process.onExit().thenRun(action);
        }

        @Override
        public List<String> pipes() {
            return pipes;
        }

        @Override
        public End finish() {
            boolean interrupted = false;
            int code;
            while (true) {
                try {
                    code = process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            interrupted |= finish(out, process.getInputStream());
            interrupted |= finish(err, process.getErrorStream());
            return new End(code, null, interrupted);
        }

        @Override
        public void release() {
        }

        /**
         * Waits for a reader to deliver the rest of the output. The JDK closes a process's pipes
         * once it is reaped, so the reader ends soon; should it not, its pipe is closed under it.
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
                        try {
                            stream.close();
                        } catch (IOException e) {
                            // nothing more to read either way
                        }
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
    }
}
