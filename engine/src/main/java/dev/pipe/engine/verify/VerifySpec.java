package dev.pipe.engine.verify;

import java.time.Duration;
import java.util.List;

/**
 * A stage's {@code verify [for SOAK] [every INTERVAL] { checks }} with its values known.
 *
 * @param soak how long to keep checking ({@code for}); null runs the checks once
 * @param every the time from the start of one round to the start of the next; null means
 *     {@link #DEFAULT_EVERY}. Without a soak there is only one round and it does not matter.
 * @param checks run in this order in every round
 */
public record VerifySpec(Duration soak, Duration every, List<CheckSpec> checks) {
    /** The round interval of a soak that does not say {@code every}. */
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);

    public VerifySpec {
        checks = List.copyOf(checks);
        every = every == null ? DEFAULT_EVERY : every;
        if (soak != null && soak.isNegative()) {
            throw new IllegalArgumentException("verify: the soak (for) must not be negative");
        }
        if (every.isNegative() || every.isZero() && soak != null && !soak.isZero()) {
            throw new IllegalArgumentException("verify: every must be longer than 0s when there is a soak (for)");
        }
    }

    /** Runs the checks once. */
    public static VerifySpec once(List<CheckSpec> checks) {
        return new VerifySpec(null, null, checks);
    }
}
