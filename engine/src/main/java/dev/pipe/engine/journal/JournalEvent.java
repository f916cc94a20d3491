package dev.pipe.engine.journal;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One state change of a run, as a line of {@code journal.jsonl}. Each event is a record named
 * in the journal by its {@link JsonTypeName} ({@code "type": "step_finished"}); its components
 * become snake_case fields beside {@code seq} and {@code at}, which {@link JournalEntry} adds.
 *
 * <p>To add an event (approvals and other gates will), add a record here with a new type name.
 * Older readers skip types they do not know with a warning, and every reader ignores fields it
 * does not know, so new events and new fields never break an older {@code pipe status}.
 * Renaming a type or a field, or changing its meaning, does.
 */
public sealed interface JournalEvent {

    /**
     * The first event of every journal.
     *
     * @param file the pipeline file as given on the command line
     * @param event the event in words, as the plan describes it ("a push to `main`")
     * @param planDigest the digest of plan.json, so a resume can tell when the file has changed
     * @param parallel the parallel limit the run was started with
     * @param pid the process that drives the run; see {@link RunState#status()}
     */
    @JsonTypeName("run_started")
    record RunStarted(String runId, String pipeline, String file, String event, String planDigest,
            String triggeredBy, int parallel, long pid) implements JournalEvent {
        public RunStarted {
            Objects.requireNonNull(runId, "runId");
        }
    }

    /** A {@code pipe resume} took over the run; from here on {@code pid} drives it. */
    @JsonTypeName("run_resumed")
    record RunResumed(long pid) implements JournalEvent {
    }

    /** The stage instance's needs are met; its gates (if any) come next. */
    @JsonTypeName("stage_ready")
    record StageReady(String stage) implements JournalEvent {
        public StageReady {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** The stage instance's first step is about to start. */
    @JsonTypeName("stage_started")
    record StageStarted(String stage) implements JournalEvent {
        public StageStarted {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /**
     * The stage instance has ended.
     *
     * @param reason why it failed, was skipped or was cancelled; null when it succeeded
     * @param outputs the stage's outputs ({@code output NAME = ...}), evaluated; empty if none
     */
    @JsonTypeName("stage_finished")
    record StageFinished(String stage, StageStatus status, String reason, Map<String, String> outputs)
            implements JournalEvent {
        public StageFinished {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(status, "status");
            outputs = copy(outputs);
        }
    }

    /** An attempt of a step is about to start; attempts count from 1 and go up with retries. */
    @JsonTypeName("step_started")
    record StepStarted(String stage, String step, int attempt) implements JournalEvent {
        public StepStarted {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(step, "step");
            requireAttempt(attempt);
        }
    }

    /**
     * An attempt of a step has ended.
     *
     * @param exitCode as the executor reported it
     * @param outcome succeeded, failed, timed_out or cancelled
     * @param outputs what the step wrote to $PIPE_OUTPUT; empty if nothing
     * @param reason why it did not succeed, when there is more to say than the exit code
     *     ("output `digest` was not written"); may be null
     */
    @JsonTypeName("step_finished")
    record StepFinished(String stage, String step, int attempt, int exitCode, StepOutcome outcome,
            long durationMs, Map<String, String> outputs, String reason) implements JournalEvent {
        public StepFinished {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(outcome, "outcome");
            requireAttempt(attempt);
            if (outcome == StepOutcome.SKIPPED) {
                throw new IllegalArgumentException("a skipped step is recorded with step_skipped, not step_finished");
            }
            outputs = copy(outputs);
        }
    }

    /** A step that does not run, such as one whose {@code when} is false. */
    @JsonTypeName("step_skipped")
    record StepSkipped(String stage, String step, String reason) implements JournalEvent {
        public StepSkipped {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(step, "step");
        }
    }

    /** The run was asked to stop (Ctrl-C, SIGTERM, {@code pipe cancel}); {@code finally} blocks still run. */
    @JsonTypeName("run_cancelled")
    record RunCancelled(String reason) implements JournalEvent {
    }

    /** The last event of a run that ended: succeeded, failed or cancelled. */
    @JsonTypeName("run_finished")
    record RunFinished(RunStatus status) implements JournalEvent {
        public RunFinished {
            Objects.requireNonNull(status, "status");
            if (!status.isFinal()) {
                throw new IllegalArgumentException("a run finishes succeeded, failed or cancelled, not " + status.keyword());
            }
        }
    }

    /**
     * A deploying stage waits at one of its environment's gates.
     *
     * @param gate {@code lock}, {@code window} or {@code approval}
     * @param detail for people: who holds the lock, when the window opens, which approvals are missing
     * @param environment the environment the stage deploys to
     * @param version the version it deploys, as approvals must name it; null when it names none
     */
    @JsonTypeName("gate_waiting")
    record GateWaiting(String stage, String gate, String detail, String environment, String version)
            implements JournalEvent {
        public GateWaiting {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(gate, "gate");
        }
    }

    /** A deploying stage passed one of its gates. */
    @JsonTypeName("gate_passed")
    record GatePassed(String stage, String gate, String detail) implements JournalEvent {
        public GatePassed {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(gate, "gate");
        }
    }

    /**
     * The approval gate accepted a decision ({@code approve} or {@code reject}).
     *
     * @param givenAt when the person gave it, ISO-8601
     */
    @JsonTypeName("approval_recorded")
    record ApprovalRecorded(String stage, String decision, String by, String givenAt, String comment)
            implements JournalEvent {
        public ApprovalRecorded {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * The run paused: a stage waits for approvals nobody could give now. {@code pipe resume}
     * continues it once they are in.
     */
    @JsonTypeName("run_waiting")
    record RunWaiting(String reason) implements JournalEvent {
    }

    /** One try of a verify check. */
    @JsonTypeName("verify_try")
    record VerifyTry(String stage, String check, int round, int attempt, boolean passed, String detail)
            implements JournalEvent {
        public VerifyTry {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(check, "check");
        }
    }

    /**
     * A deploying stage failed after changing its environment and its rollback starts.
     *
     * @param restores the version the rollback puts back ({@code previous.version}), or null when there is none
     */
    @JsonTypeName("rollback_started")
    record RollbackStarted(String stage, String cause, String restores) implements JournalEvent {
        public RollbackStarted {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** The rollback ended; {@code reason} says why it failed, when it did. */
    @JsonTypeName("rollback_finished")
    record RollbackFinished(String stage, boolean succeeded, String reason) implements JournalEvent {
        public RollbackFinished {
            Objects.requireNonNull(stage, "stage");
        }
    }

    /** The stage's attempt was written to the environment's history (see docs/deployments.md). */
    @JsonTypeName("deployment_recorded")
    record DeploymentRecorded(String stage, String environment, String version, String outcome)
            implements JournalEvent {
        public DeploymentRecorded {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(environment, "environment");
        }
    }

    /**
     * Written by {@link Journal#reopen} when it cut a torn last line off the journal.
     *
     * @param line the dropped line's number
     * @param bytes how many bytes were dropped
     * @param reason why the line was torn ("it does not end with a newline")
     */
    @JsonTypeName("journal_repaired")
    record JournalRepaired(int line, long bytes, String reason) implements JournalEvent {
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static void requireAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, not " + attempt);
        }
    }
}
