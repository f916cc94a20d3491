package dev.pipe.engine.verify;

import dev.pipe.engine.run.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link VerifySpec}: rounds of checks, each check with its retries.
 *
 * <p><b>A round</b> runs every check in order. A check passes in a round when one of its
 * {@code 1 + retries} tries passes; after a failed try it waits the check's {@code every} before
 * the next. A check that fails all its tries ends verify at once as failed: later checks of the
 * round and later rounds do not run.
 *
 * <p><b>Rounds.</b> Without a soak there is one round. With {@code for SOAK every E}, round 1
 * starts when verify starts (time 0). Each next round is due {@code E} after the previous round
 * <em>started</em>, or as soon as the previous round ends if it took longer than {@code E}; it
 * runs only if it is due at or before {@code SOAK}. When rounds take no time that is
 * {@code floor(SOAK / E) + 1} rounds: {@code for 10m every 1m} runs at 0, 1m, ..., 10m, eleven
 * rounds. Verify can therefore outlast the soak by the length of its last round. Due times are
 * computed, not read back after sleeping, so a sleep that overshoots a little does not shift the
 * schedule or drop a round.
 *
 * <p><b>Cancellation</b> stops verify at once: the running try is stopped by its probe, no
 * further try or wait starts, and the result is CANCELLED.
 */
public final class Verifier {
    /** A monotonic clock in nanoseconds, like {@link System#nanoTime()}. */
    @FunctionalInterface
    public interface Ticker {
        long nanos();

        Ticker SYSTEM = System::nanoTime;
    }

    /** Waits; returns early when {@code cancel} is cancelled. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d, Cancellation cancel) throws InterruptedException;

        Sleeper REAL = (d, cancel) -> {
            CountDownLatch latch = new CountDownLatch(1);
            Runnable off = cancel.onCancel(latch::countDown);
            try {
                latch.await(d.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                off.run();
            }
        };
    }

    /**
     * One finished try.
     *
     * @param round 1-based
     * @param attempt 1-based within the round
     * @param attempts the most tries the check gets in a round ({@code 1 + retries})
     * @param took how long the try took by the verifier's ticker
     */
    public record Try(String check, int round, int attempt, int attempts, boolean passed, String detail, Duration took) {
    }

    /** Hears about verify as it goes, on the verifying thread, for the journal and the console. */
    public interface Listener {
        Listener NONE = t -> {
        };

        /** A round is starting; {@code round} is 1-based. */
        default void roundStarted(int round) {
        }

        /** A try ended, passed or not; a try cut short by a cancel is reported too. */
        void tried(Try t);
    }

    private final Ticker ticker;
    private final Sleeper sleeper;

    /** Real time. */
    public Verifier() {
        this(Ticker.SYSTEM, Sleeper.REAL);
    }

    public Verifier(Ticker ticker, Sleeper sleeper) {
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    /**
     * Runs the checks as described in the class comment.
     *
     * @throws InterruptedException when the thread is interrupted; verify is abandoned
     */
    public VerifyResult verify(VerifySpec spec, Cancellation cancel, Listener listener) throws InterruptedException {
        List<CheckSpec> checks = spec.checks();
        int[] tries = new int[checks.size()];
        int[] passes = new int[checks.size()];
        long t0 = ticker.nanos();
        long soak = spec.soak() == null ? -1 : spec.soak().toNanos();
        long every = spec.every().toNanos();
        long due = t0;
        int round = 0;
        while (true) {
            if (cancel.isCancelled()) {
                return result(VerifyResult.Status.CANCELLED, round, null, cancel, checks, tries, passes);
            }
            round++;
            listener.roundStarted(round);
            for (int c = 0; c < checks.size(); c++) {
                CheckSpec check = checks.get(c);
                for (int attempt = 1; ; attempt++) {
                    long began = ticker.nanos();
                    ProbeResult r = check.probe().attempt(cancel);
                    tries[c]++;
                    if (r.passed()) {
                        passes[c]++;
                    }
                    listener.tried(new Try(check.name(), round, attempt, check.attempts(), r.passed(), r.detail(),
                            Duration.ofNanos(ticker.nanos() - began)));
                    if (cancel.isCancelled()) {
                        return result(VerifyResult.Status.CANCELLED, round, null, cancel, checks, tries, passes);
                    }
                    if (r.passed()) {
                        break;
                    }
                    if (attempt == check.attempts()) {
                        VerifyResult.Failure failure = new VerifyResult.Failure(check.name(), round, r.detail());
                        return result(VerifyResult.Status.FAILED, round, failure, cancel, checks, tries, passes);
                    }
                    sleeper.sleep(check.every(), cancel);
                    if (cancel.isCancelled()) {
                        return result(VerifyResult.Status.CANCELLED, round, null, cancel, checks, tries, passes);
                    }
                }
            }
            if (soak < 0) {
                break;
            }
            long ended = ticker.nanos();
            long next = ended - (due + every) > 0 ? ended : due + every;
            if (next - t0 > soak) {
                break;
            }
            long wait = next - ticker.nanos();
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait), cancel);
            }
            due = next;
        }
        return result(VerifyResult.Status.PASSED, round, null, cancel, checks, tries, passes);
    }

    private static VerifyResult result(VerifyResult.Status status, int rounds, VerifyResult.Failure failure,
            Cancellation cancel, List<CheckSpec> checks, int[] tries, int[] passes) {
        List<VerifyResult.CheckSummary> summary = new ArrayList<>();
        for (int c = 0; c < checks.size(); c++) {
            summary.add(new VerifyResult.CheckSummary(checks.get(c).name(), tries[c], passes[c]));
        }
        String reason = status == VerifyResult.Status.CANCELLED ? cancel.reason() : null;
        return new VerifyResult(status, rounds, failure, reason, summary);
    }
}
