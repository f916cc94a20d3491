package dev.pipe.engine.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One deployment attempt, as a line of an environment's {@code history.jsonl} ({@link Ledger}).
 * A stage that deploys records one entry when it ends, whatever happened: succeeded, failed at a
 * gate or a step, rolled back. Its rollback, if one ran, is part of the same entry.
 *
 * @param kind what made the attempt: a stage's {@code deploy to}, or {@code pipe rollback}
 * @param environment the environment's name
 * @param version the version the attempt deployed (for a manual rollback, the version it went
 *     back to); null when the stage's {@code deploy to} names no version
 * @param outcome how it ended; see {@link Outcome}
 * @param runId the run that made the attempt
 * @param stage the stage instance that deployed, such as {@code deploy_production}
 * @param startedAt when the stage reached the environment (before its gates)
 * @param finishedAt when the attempt ended, rollback included
 * @param triggeredBy who started the run, when known
 * @param planDigest the digest of the run's plan, which approvals name
 * @param url the environment's url at the time, when it has one
 * @param changed whether a step ran, so that the environment may have changed; always true
 *     unless the outcome is {@code failed}
 * @param cause one sentence: why it failed or was rolled back; for a success, null or a note
 * @param restoredVersion for {@code rolled_back} and {@code rollback_failed}: the version the
 *     rollback put back (or tried to), {@code previous.version} as the stage saw it; null when
 *     there was none (a first deployment)
 * @param restoredRun the run that had deployed {@code restoredVersion}, {@code previous.run}
 * @param approvals the approvals the gate accepted, in the order they came
 * @param checks the verify checks and how they went
 * @param windowOverride the override that let the attempt through a closed window, if one did
 */
public record Deployment(
        Kind kind,
        String environment,
        String version,
        Outcome outcome,
        String runId,
        String stage,
        Instant startedAt,
        Instant finishedAt,
        String triggeredBy,
        String planDigest,
        String url,
        boolean changed,
        String cause,
        String restoredVersion,
        String restoredRun,
        List<Approval> approvals,
        List<Check> checks,
        WindowOverride windowOverride) {

    public Deployment {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        checks = checks == null ? List.of() : List.copyOf(checks);
        if (outcome != Outcome.FAILED && !changed) {
            throw new IllegalArgumentException("a deployment that " + outcome.text() + " ran its steps, so it changed the environment");
        }
        if ((restoredVersion != null || restoredRun != null)
                && outcome != Outcome.ROLLED_BACK && outcome != Outcome.ROLLBACK_FAILED) {
            throw new IllegalArgumentException("only a rollback restores a version; this deployment " + outcome.text());
        }
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("a deployment cannot finish (" + finishedAt + ") before it starts (" + startedAt + ")");
        }
    }

    /** Whether this attempt left {@link #version} running in the environment. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** Whether the environment may be in a state nobody chose: a step ran and nothing put the old version back. */
    public boolean unsettling() {
        return outcome == Outcome.ROLLBACK_FAILED || (outcome == Outcome.FAILED && changed);
    }

    public static Builder builder(Kind kind, String environment, String runId, String stage) {
        return new Builder(kind, environment, runId, stage);
    }

    /** What made the attempt. */
    public enum Kind {
        /** A stage with {@code deploy to}. */
        @JsonProperty("deploy")
        DEPLOY,
        /** {@code pipe rollback ENV [--to VERSION]}: an earlier version deployed again by hand. */
        @JsonProperty("manual_rollback")
        MANUAL_ROLLBACK;

        public String text() {
            return this == DEPLOY ? "deploy" : "manual_rollback";
        }
    }

    /** How an attempt ended. */
    public enum Outcome {
        /** Steps and verify passed: {@code version} runs there now. */
        @JsonProperty("succeeded")
        SUCCEEDED,
        /**
         * The attempt failed and no rollback ran. With {@code changed} false it stopped before
         * its first step (a gate refused it, it was cancelled while waiting) and nothing changed;
         * with {@code changed} true a step or verify failed in a stage without a rollback, and the
         * environment may hold part of {@code version}.
         */
        @JsonProperty("failed")
        FAILED,
        /** A step or verify failed and the stage's rollback succeeded, putting back {@code restored_version}. */
        @JsonProperty("rolled_back")
        ROLLED_BACK,
        /** A step or verify failed and so did the rollback: nobody knows what runs there. */
        @JsonProperty("rollback_failed")
        ROLLBACK_FAILED;

        public String text() {
            return switch (this) {
                case SUCCEEDED -> "succeeded";
                case FAILED -> "failed";
                case ROLLED_BACK -> "rolled_back";
                case ROLLBACK_FAILED -> "rollback_failed";
            };
        }
    }

    /** An approval the gate accepted. */
    public record Approval(String by, Instant at, String comment) {
        public Approval {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A verify check: how many times it ran in all, and whether it passed in the end. */
    public record Check(String name, int tries, boolean passed) {
        public Check {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Someone let the attempt through its closed deployment window, and why. */
    public record WindowOverride(String reason, String by) {
        public WindowOverride {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
        }
    }

    /** Collects an entry's many fields by name; {@link #build} checks them. */
    public static final class Builder {
        private final Kind kind;
        private final String environment;
        private final String runId;
        private final String stage;
        private String version;
        private Outcome outcome;
        private Instant startedAt;
        private Instant finishedAt;
        private String triggeredBy;
        private String planDigest;
        private String url;
        private Boolean changed;
        private String cause;
        private String restoredVersion;
        private String restoredRun;
        private final List<Approval> approvals = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>();
        private WindowOverride windowOverride;

        private Builder(Kind kind, String environment, String runId, String stage) {
            this.kind = kind;
            this.environment = environment;
            this.runId = runId;
            this.stage = stage;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder outcome(Outcome outcome, String cause) {
            this.outcome = outcome;
            this.cause = cause;
            return this;
        }

        public Builder times(Instant startedAt, Instant finishedAt) {
            this.startedAt = startedAt;
            this.finishedAt = finishedAt;
            return this;
        }

        public Builder triggeredBy(String who) {
            this.triggeredBy = who;
            return this;
        }

        public Builder planDigest(String digest) {
            this.planDigest = digest;
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** Whether a step ran; when not set, true for every outcome but {@code failed}. */
        public Builder changed(boolean changed) {
            this.changed = changed;
            return this;
        }

        public Builder restored(String version, String run) {
            this.restoredVersion = version;
            this.restoredRun = run;
            return this;
        }

        public Builder approval(String by, Instant at, String comment) {
            approvals.add(new Approval(by, at, comment));
            return this;
        }

        public Builder check(String name, int tries, boolean passed) {
            checks.add(new Check(name, tries, passed));
            return this;
        }

        public Builder windowOverride(String reason, String by) {
            this.windowOverride = new WindowOverride(reason, by);
            return this;
        }

        public Deployment build() {
            Objects.requireNonNull(outcome, "outcome");
            boolean stepsRan = changed != null ? changed : outcome != Outcome.FAILED;
            return new Deployment(kind, environment, version, outcome, runId, stage, startedAt, finishedAt,
                    triggeredBy, planDigest, url, stepsRan, cause, restoredVersion, restoredRun, approvals,
                    checks, windowOverride);
        }
    }
}
