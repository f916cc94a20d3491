package dev.pipe.engine.verify;

import dev.pipe.engine.run.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when something sleeps or calls {@link #advance}; records every sleep. */
final class FakeTime implements Verifier.Ticker, Verifier.Sleeper {
    private long nanos = 1_000_000_000_000L;
    private final long start = nanos;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration d, Cancellation cancel) {
        sleeps.add(d);
        if (!cancel.isCancelled()) {
            nanos += d.toNanos();
        }
    }

    synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    /** Time since the fake clock was made. */
    synchronized Duration elapsed() {
        return Duration.ofNanos(nanos - start);
    }

    Verifier verifier() {
        return new Verifier(this, this);
    }
}
