package dev.pipe.engine.verify;

import java.util.List;
import java.util.Objects;

/**
 * How verify ended, and how often each check was tried, for the ledger.
 *
 * @param rounds the rounds that started, the failed or cancelled one included
 * @param failure which check ran out of tries, when {@code status} is FAILED; null otherwise
 * @param cancelReason why the run was cancelled, when {@code status} is CANCELLED; may be null
 * @param checks one summary per check, in the spec's order; checks that never ran have 0 tries
 */
public record VerifyResult(Status status, int rounds, Failure failure, String cancelReason, List<CheckSummary> checks) {
    public VerifyResult {
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
        if ((status == Status.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a failure is given exactly when verify failed");
        }
    }

    public enum Status {
        PASSED, FAILED, CANCELLED
    }

    /**
     * The check that failed verify.
     *
     * @param round the 1-based round it failed in
     * @param detail what its last try saw
     */
    public record Failure(String check, int round, String detail) {
    }

    /** One check's tries over all rounds, and how many of them passed. */
    public record CheckSummary(String name, int tries, int passes) {
        public int failures() {
            return tries - passes;
        }
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    /**
     * One sentence for the console and the stage's failure reason, such as {@code verify check
     * "GET https://shop.example.com/health" failed in round 3: HTTP 503 ...}; the round is left
     * out when it is the first.
     */
    public String describe() {
        return switch (status) {
            case PASSED -> "verify passed: " + checks.size() + (checks.size() == 1 ? " check" : " checks") + ", "
                    + rounds + (rounds == 1 ? " round" : " rounds");
            case FAILED -> "verify check \"" + failure.check() + "\" failed" + (failure.round() == 1 ? ""
                    : " in round " + failure.round()) + ": " + failure.detail();
            case CANCELLED -> "verify was cancelled" + (cancelReason == null ? "" : ": " + cancelReason);
        };
    }
}
