package dev.pipe.runner.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A helper process, {@code pipe-spawner}, that starts commands for one {@link LocalExecutor}.
 *
 * <p>The JVM starts a process through a helper program and two more execs (jspawnhelper,
 * setsid, the shell): about 5 ms on a small machine, more than a whole {@code true} step may
 * cost. The spawner runs as long as the executor and starts each command with setsid, its stdin
 * and output pipes, the working directory and exactly the command's environment. It comes in two
 * editions that speak the same protocol: a small C program, {@code pipe-spawner}, that the build
 * compiles from {@code src/main/c/pipe-spawner.c} where a C compiler is found and that starts
 * each command with one posix_spawn; and a Perl script, {@code spawner.pl} (perl-base is part
 * of every Debian and Ubuntu system, and only core modules are used), that forks and execs, a
 * millisecond slower per command. Perl gets a few words of {@code -e} that read the script from
 * stdin, then the frames follow.
 *
 * <p><b>Protocol.</b> Each frame, either way, is a type byte, a request id and the payload's
 * length (both unsigned 32-bit, big-endian), then the payload, so scripts and environment
 * values may hold any bytes, newlines included. To the spawner: {@code S} starts a command
 * (argv, environment entries, working directory: each a count or a length-prefixed field),
 * {@code A} says how many bytes of one stream pipe has taken (one stream byte, a 32-bit count),
 * {@code D} says that pipe is done with the command (sent along with the next frame, so that it
 * costs the spawner no wake-up of its own). From the spawner: {@code H} once it is
 * ready, {@code P} with "PID STDOUT-INODE STDERR-INODE" as soon as it has forked, {@code 1} and
 * {@code 2} with stdout and stderr bytes, {@code E} with the reason a command could not start,
 * and last {@code X} with the exit code (128 + N for a signal N) after the shell has exited and
 * what it wrote has been passed on. At most {@link #WINDOW} bytes of a stream are in flight; the
 * spawner stops reading that stream until pipe acknowledges them, so a slow sink slows only its
 * own command.
 *
 * <p><b>Lifetime.</b> When the spawner's stdin ends, because pipe closed it or died (even by
 * SIGKILL), the spawner kills every process of the sessions of the commands that pipe had not
 * called done, and exits. When the spawner dies, every command still running gets a
 * {@link Frame#LOST} frame, and the executor stops it; the next command starts a new spawner.
 */
final class Spawner {
    /** Bytes of one stream of one command that may be sent and not yet acknowledged. */
    static final int WINDOW = 128 * 1024;
    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Duration CLOSING = Duration.ofSeconds(2);
    private static final byte[] SCRIPT = script();
    /** Reads the script (as many bytes as the first argument says) from stdin and runs it. */
    private static final String BOOT = "my $n = shift; my $s = ''; while (length $s < $n) {"
            + " sysread(STDIN, $s, $n - length $s, length $s) or die \"pipe-spawner: no script\\n\" }"
            + " eval $s; die $@ if $@;";

    /** What the spawner sent about one command; {@link #LOST} when the spawner died. */
    record Frame(byte type, byte[] data) {
        static final byte STARTED = 'P';
        static final byte STDOUT = '1';
        static final byte STDERR = '2';
        static final byte CANNOT_START = 'E';
        static final byte EXIT = 'X';
        static final byte LOST = 'L';
    }

    /**
     * One command the spawner was asked to start. Its first frame is waited for with
     * {@link #first()}; every later one goes to the handler given to {@link #attach}, called on
     * the thread that reads the spawner, in order, one at a time. A handler must not block: it
     * holds up every command of the spawner.
     */
    static final class Request {
        final int id;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();
        private final List<Frame> early = new ArrayList<>();
        private Consumer<Frame> handler;

        Request(int id) {
            this.id = id;
        }

        void deliver(Frame f) {
            lock.lock();
            try {
                if (handler != null) {
                    handler.accept(f);
                } else {
                    early.add(f);
                    arrived.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Waits for the first frame. An interrupt meanwhile is kept for the caller, not acted on. */
        Frame first() {
            boolean interrupted = false;
            lock.lock();
            try {
                while (early.isEmpty()) {
                    try {
                        arrived.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return early.get(0);
            } finally {
                lock.unlock();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * Hands every frame, the first included, to {@code handler}: those that came already, then
         * the rest as they come.
         */
        void attachAll(Consumer<Frame> handler) {
            lock.lock();
            try {
                for (Frame f : early) {
                    handler.accept(f);
                }
                early.clear();
                this.handler = handler;
            } finally {
                lock.unlock();
            }
        }

        /** Hands every frame after the first to {@code handler}: those that came already, then the rest. */
        void attach(Consumer<Frame> handler) {
            lock.lock();
            try {
                for (Frame f : early.subList(1, early.size())) {
                    handler.accept(f);
                }
                early.clear();
                this.handler = handler;
            } finally {
                lock.unlock();
            }
        }
    }

    /** The spawner is gone; the message says why, in a few words for a person. */
    static final class Dead extends IOException {
        Dead(String message) {
            super(message);
        }
    }

    private final Process process;
    private final OutputStream toSpawner;
    /** The threads that read the spawner's stdout and stderr; set once at start. */
    private Thread demultiplexer;
    private Thread stderrReader;
    private final ReentrantLock writing = new ReentrantLock();
    /** Commands pipe is done with that the spawner has not been told of yet; guarded by {@link #writing}. */
    private final List<Integer> done = new ArrayList<>();
    /** Guards {@link #requests} and {@link #dead}, so that no request is registered after the loss was announced. */
    private final Object lock = new Object();
    private final Map<Integer, Request> requests = new HashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<String> hello = new CompletableFuture<>();
    private final StringBuilder stderrTail = new StringBuilder();
    private String dead;

    private Spawner(Process process) {
        this.process = process;
        this.toSpawner = process.getOutputStream();
    }

    /**
     * How to start a spawner: the native program compiled from {@code pipe-spawner.c}, or perl
     * reading {@code spawner.pl}. Both speak the protocol above and behave the same.
     *
     * @param name what it is, for messages: "the native spawner" or "perl"
     * @param command the program and its arguments
     * @param preamble what to write to its stdin before the first frame
     */
    record Program(String name, List<String> command, byte[] preamble) {
        /** The spawner compiled into {@code binary}. */
        static Program at(Path binary) {
            return new Program("the native spawner", List.of(binary.toString(), Integer.toString(WINDOW)), new byte[0]);
        }

        /** The Perl spawner, run by {@code perl}. The script comes on stdin, so that the command line stays short in ps. */
        static Program perl(String perl) {
            return new Program("perl", List.of(perl, "-e", BOOT, Integer.toString(SCRIPT.length), Integer.toString(WINDOW)),
                    SCRIPT);
        }

        /**
         * The native spawner as the build left it next to pipe's jar (or its classes folder), or
         * null when it is not there: the build makes it only where a C compiler is found.
         */
        static Program installed() {
            try {
                Path where = Path.of(Spawner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path binary = where.resolveSibling(NATIVE);
                return java.nio.file.Files.isExecutable(binary) ? at(binary) : null;
            } catch (java.net.URISyntaxException | RuntimeException e) {
                return null;
            }
        }
    }

    /** The native spawner's file name, next to pipe.jar. */
    static final String NATIVE = "pipe-spawner";

    /** Starts the Perl spawner with {@code perl}; see {@link #start(Program)}. */
    static Spawner start(String perl) throws IOException {
        return start(Program.perl(perl));
    }

    /**
     * Starts a spawner and waits until it is ready.
     *
     * @throws IOException when the spawner cannot run; the message says why
     */
    static Spawner start(Program program) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(program.command()).directory(new java.io.File("/"));
        // Nothing of pipe's environment: PERL5OPT or PERL5LIB could load code into the spawner.
        builder.environment().clear();
        Spawner s = new Spawner(builder.start());
        try {
            s.toSpawner.write(program.preamble());
            s.toSpawner.flush();
        } catch (IOException e) {
            // It died at once; the wait for its hello below says so.
        }
        s.demultiplexer = Thread.ofPlatform().daemon().name("pipe-spawner-" + s.pid()).start(s::demultiplex);
        s.stderrReader = Thread.ofPlatform().daemon().name("pipe-spawner-stderr-" + s.pid()).start(s::keepStderr);
        // It answers within milliseconds: an interrupt meanwhile is kept for the caller, not acted on.
        boolean interrupted = false;
        long deadline = System.nanoTime() + STARTUP.toNanos();
        try {
            while (true) {
                try {
                    s.hello.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return s;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    s.process.destroyForcibly();
                    throw new IOException(program.name() + " could not run pipe's spawner" + s.stderrSuffix());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        synchronized (lock) {
            // The process is asked too: a spawner killed a moment ago may not have been noticed
            // by its reader yet, and a command sent to it would be lost.
            return dead == null && process.isAlive();
        }
    }

    /**
     * Asks the spawner to start {@code argv}. The request's first frame is {@link Frame#STARTED},
     * or {@link Frame#CANNOT_START} when the spawner could not fork, or {@link Frame#LOST}.
     *
     * @throws Dead when the spawner is gone, and the request did not reach it
     */
    Request start(List<String> argv, Map<String, String> env, Path workdir) throws Dead {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256 + argv.stream().mapToInt(String::length).sum());
        count(body, argv.size());
        for (String arg : argv) {
            field(body, arg);
        }
        count(body, env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            field(body, e.getKey() + "=" + e.getValue());
        }
        field(body, workdir.toString());
        Request r = new Request(ids.incrementAndGet());
        synchronized (lock) {
            if (dead != null) {
                throw new Dead(dead);
            }
            requests.put(r.id, r);
        }
        try {
            send((byte) 'S', r.id, body.toByteArray());
        } catch (Dead e) {
            synchronized (lock) {
                requests.remove(r.id);
            }
            throw e;
        }
        return r;
    }

    /** Pipe has taken {@code bytes} of a stream (1 stdout, 2 stderr): the spawner may read that much more. */
    void ack(Request r, int stream, int bytes) {
        try {
            send((byte) 'A', r.id, ByteBuffer.allocate(5).put((byte) stream).putInt(bytes).array());
        } catch (Dead e) {
            // The command gets a LOST frame.
        }
    }

    /**
     * Pipe is done with the command: the spawner no longer needs to end its session should pipe
     * die. The spawner is told with the next request rather than woken for it: until then it
     * would at worst kill a session that is empty.
     */
    void done(Request r) {
        writing.lock();
        try {
            done.add(r.id);
            if (done.size() >= 256) {
                send(null, 0, null);
            }
        } catch (Dead e) {
            // Nothing left to guard.
        } finally {
            writing.unlock();
        }
    }

    /**
     * Closes the spawner's stdin: it kills what is left of the sessions it guards and exits. Waits
     * a little for that and for the threads that read it: a JVM that exits while a thread is
     * blocked in a read waits 300 ms for it.
     */
    void close() {
        writing.lock();
        try {
            if (!done.isEmpty()) {
                send(null, 0, null);
            }
            toSpawner.close();
        } catch (IOException e) {
            // gone already
        } finally {
            writing.unlock();
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + CLOSING.toNanos();
        for (Thread t : new Thread[] {demultiplexer, stderrReader}) {
            while (t != null && t.isAlive() && System.nanoTime() < deadline) {
                try {
                    t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a frame (none when {@code type} is null), after the done frames that wait. */
    private void send(Byte type, int id, byte[] payload) throws Dead {
        writing.lock();
        try {
            ByteBuffer frame = ByteBuffer.allocate(9 * done.size() + (type == null ? 0 : 9 + payload.length));
            for (int d : done) {
                frame.put((byte) 'D').putInt(d).putInt(0);
            }
            done.clear();
            if (type != null) {
                frame.put(type).putInt(id).putInt(payload.length).put(payload);
            }
            toSpawner.write(frame.array());
            toSpawner.flush();
        } catch (IOException e) {
            throw new Dead(lost());
        } finally {
            writing.unlock();
        }
    }

    /** Reads the spawner's frames and hands each to its command; on the spawner's end, tells them all. */
    private void demultiplex() {
        String why = null;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 17))) {
            while (true) {
                byte type;
                try {
                    type = in.readByte();
                } catch (EOFException e) {
                    break;
                }
                int id = in.readInt();
                int length = in.readInt();
                byte[] data = new byte[length];
                in.readFully(data);
                if (type == 'H') {
                    hello.complete(new String(data, StandardCharsets.US_ASCII));
                    continue;
                }
                Request r;
                synchronized (lock) {
                    r = type == Frame.EXIT ? requests.remove(id) : requests.get(id);
                }
                if (r == null) {
                    why = "it sent a frame for an unknown command";
                    break;
                }
                r.deliver(new Frame(type, data));
            }
        } catch (IOException e) {
            why = e.getMessage();
        }
        process.destroyForcibly();
        hello.completeExceptionally(new IOException("the spawner ended"));
        List<Request> orphans;
        synchronized (lock) {
            dead = why == null ? lost() : "the spawner that starts pipe's commands (pid " + pid() + ") failed: " + why;
            orphans = new ArrayList<>(requests.values());
            requests.clear();
        }
        for (Request r : orphans) {
            r.deliver(new Frame(Frame.LOST, dead.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private String lost() {
        return "the spawner that starts pipe's commands (pid " + pid() + ") ended unexpectedly" + stderrSuffix();
    }

    /** Keeps the end of what the spawner wrote on stderr: it says why the spawner died, if anything does. */
    private void keepStderr() {
        byte[] buf = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) >= 0) {
                synchronized (stderrTail) {
                    stderrTail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderrTail.length() > 400) {
                        stderrTail.delete(0, stderrTail.length() - 400);
                    }
                }
            }
        } catch (IOException e) {
            // the spawner is gone
        }
    }

    private String stderrSuffix() {
        String tail;
        synchronized (stderrTail) {
            tail = stderrTail.toString().strip();
        }
        if (tail.isEmpty()) {
            return "";
        }
        String last = tail.substring(tail.lastIndexOf('\n') + 1);
        return " (" + last + ")";
    }

    private static void count(ByteArrayOutputStream out, int n) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(n).array());
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        count(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] script() {
        try (InputStream in = Spawner.class.getResourceAsStream("spawner.pl")) {
            if (in == null) {
                throw new IllegalStateException("spawner.pl is missing from pipe's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
