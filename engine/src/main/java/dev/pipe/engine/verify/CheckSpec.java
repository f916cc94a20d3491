package dev.pipe.engine.verify;

import java.time.Duration;
import java.util.Objects;

/**
 * One verify check with its values known.
 *
 * @param name what the console and the journal call it: the name of a {@code check "NAME"}, or
 *     for an {@code http} check something like {@code GET https://shop.example.com/health}
 * @param retries how many more tries after a failed one; 0 means one try
 * @param every the wait between a failed try and the next; null means {@link #DEFAULT_EVERY}
 * @param probe makes one try
 */
public record CheckSpec(String name, int retries, Duration every, Probe probe) {
    /** The wait between tries when the check does not say {@code every}. */
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(5);

    public CheckSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(probe, "probe");
        if (retries < 0) {
            throw new IllegalArgumentException("check \"" + name + "\": retries must be 0 or more, not " + retries);
        }
        every = every == null ? DEFAULT_EVERY : every;
        if (every.isNegative()) {
            throw new IllegalArgumentException("check \"" + name + "\": every must not be negative");
        }
    }

    /** Tries in a round at most: the first and the retries. */
    public int attempts() {
        return 1 + retries;
    }
}
