package dev.pipe.stdlib.js;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The GraalVM sandbox JavaScript step modules run in. A context sees nothing of the host: no
 * Java classes, files, processes, threads, environment or network; what a step may do comes only
 * through the objects pipe hands it (see {@link JsStepFunction}).
 *
 * <p>Limits: GraalVM's community edition enforces a statement count per context itself
 * ({@link ResourceLimits}); its CPU-time and heap limits are Oracle GraalVM only. So guest code
 * runs on a platform thread of its own, watched every few milliseconds: when the thread has used
 * more CPU time or allocated more bytes than allowed, or the step's time is up or the run is
 * cancelled, the context is cancelled. Counting the bytes the thread allocates, rather than what
 * it keeps, is stricter than a heap limit, and it is what a JVM can measure for one thread.
 *
 * <p>One engine is shared by every context of the process, so a module's source is parsed once.
 * It is made on first use: a pipeline without JavaScript modules never loads GraalVM.
 */
final class JsSandbox {
    /**
     * What one piece of guest code may use.
     *
     * @param cpu CPU time of the guest thread
     * @param statements JavaScript statements executed
     * @param allocatedBytes bytes the guest thread allocates, garbage included
     */
    record Limits(Duration cpu, long statements, long allocatedBytes) {
        /** A step's run: glue code that formats, computes and calls out, never a computation of minutes. */
        static final Limits STEP = new Limits(Duration.ofSeconds(10), 50_000_000L, 1024L * 1024 * 1024);
        /** Reading a module's declarations, at check time: the module's top level only. */
        static final Limits DECLARE = new Limits(Duration.ofSeconds(5), 5_000_000L, 256L * 1024 * 1024);
    }

    /** Why guest code was stopped, as the step's failure says it. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean timedOut;

        Stopped(String why, boolean timedOut) {
            super(why, null, false, false);
            this.timedOut = timedOut;
        }

        boolean timedOut() {
            return timedOut;
        }
    }

    private static final long WATCH_MILLIS = 5;
    /** How long a stopped guest thread may take to end before the step goes on without it. */
    private static final long ABANDON_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Object ENGINE_LOCK = new Object();
    private static volatile Engine engine;

    private JsSandbox() {
    }

    /** Where GraalVM may unpack its files, if it needs to: never the home directory. */
    static final String CACHE_PROPERTY = "polyglot.engine.userResourceCache";

    static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (ENGINE_LOCK) {
                e = engine;
                if (e == null) {
                    if (System.getProperty(CACHE_PROPERTY) == null) {
                        // The launcher and the build set it; anything else gets a folder of its own
                        // under the temporary directory rather than ~/.cache.
                        System.setProperty(CACHE_PROPERTY, Path.of(System.getProperty("java.io.tmpdir"),
                                "pipe-polyglot-" + System.getProperty("user.name", "user")).toString());
                    }
                    e = Engine.newBuilder("js")
                            .sandbox(SandboxPolicy.CONSTRAINED)
                            .out(OutputStream.nullOutputStream())
                            .err(OutputStream.nullOutputStream())
                            // On a stock JDK there is no Graal compiler: JavaScript is interpreted,
                            // which is plenty for glue code, and not worth a warning on every run.
                            .option("engine.WarnInterpreterOnly", "false")
                            .build();
                    engine = e;
                }
            }
        }
        return e;
    }

    /**
     * A new context that can do nothing but compute; its console writes to {@code out} and
     * {@code err}. {@code onStatementLimit} runs when the guest has run too many statements; the
     * context is closed then.
     */
    static Context context(Limits limits, OutputStream out, OutputStream err, Runnable onStatementLimit) {
        return Context.newBuilder("js")
                .engine(engine())
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.newBuilder(HostAccess.NONE).allowMutableTargetMappings().build())
                .allowHostClassLookup(name -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateProcess(false)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowExperimentalOptions(false)
                .in(java.io.InputStream.nullInputStream())
                .out(out)
                .err(err)
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null)
                        .onLimit(event -> onStatementLimit.run()).build())
                .option("js.esm-eval-returns-exports", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .build();
    }

    /**
     * Runs {@code body}, which uses {@code context}, on a thread of its own and watches it. On a
     * breach of the limits, when {@code deadline} passes or {@code cancelled} turns true, the
     * context is cancelled and this throws {@link Stopped}; {@code onStop} runs first, so that a
     * host call in progress (an HTTP request, a command) ends too.
     *
     * @param deadline when the step's time is up, as {@link System#nanoTime()}; Long.MAX_VALUE for none
     */
    static <T> T watch(Context context, Limits limits, long deadline, BooleanSupplier cancelled, Supplier<String> cancelReason,
            Runnable onStop, Callable<T> body) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("pipe-js").unstarted(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean sun = mx instanceof com.sun.management.ThreadMXBean s ? s : null;
        thread.start();
        long id = thread.threadId();
        long allocatedBefore = sun == null ? 0 : Math.max(0, sun.getThreadAllocatedBytes(id));
        Stopped stop = null;
        long stoppedAt = 0;
        try {
            while (true) {
                try {
                    T value = result.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
                    return value;
                } catch (TimeoutException e) {
                    // Still running: look at its limits below.
                } catch (ExecutionException e) {
                    if (stop != null) {
                        throw stop;
                    }
                    throw rethrow(e.getCause());
                }
                if (stop != null) {
                    if (System.nanoTime() - stoppedAt > ABANDON_NANOS) {
                        // The guest thread does not end (a host call that ignores the cancel):
                        // it is a daemon thread with a closed context, left to end on its own.
                        throw stop;
                    }
                    continue;
                }
                long cpu = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(id) : -1;
                long allocated = sun == null ? -1 : sun.getThreadAllocatedBytes(id) - allocatedBefore;
                if (cancelled.getAsBoolean()) {
                    String why = cancelReason.get();
                    stop = new Stopped(why == null ? "cancelled" : "cancelled: " + why, false);
                } else if (System.nanoTime() - deadline >= 0) {
                    stop = new Stopped("timed out", true);
                } else if (cpu > limits.cpu().toNanos()) {
                    stop = new Stopped("used more than " + seconds(limits.cpu()) + " of CPU time, the limit for JavaScript", false);
                } else if (allocated > limits.allocatedBytes()) {
                    stop = new Stopped("allocated more than " + (limits.allocatedBytes() >> 20)
                            + " MB of memory, the limit for JavaScript", false);
                }
                if (stop != null) {
                    stoppedAt = System.nanoTime();
                    onStop.run();
                    cancel(context);
                }
            }
        } catch (InterruptedException e) {
            onStop.run();
            cancel(context);
            throw e;
        }
    }

    /**
     * Closes the context, cancelling what still runs in it. Closing waits for the guest thread to
     * end, so it happens on a thread of its own: the watcher goes on watching (and gives up on a
     * guest that does not end), and a step never hangs on a context it is done with.
     */
    static void cancel(Context context) {
        Thread.ofPlatform().daemon().name("pipe-js-cancel").start(() -> {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                // Already closed, or closing: either way it runs nothing more.
            }
        });
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
