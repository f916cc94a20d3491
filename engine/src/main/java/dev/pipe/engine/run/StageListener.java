package dev.pipe.engine.run;

import java.util.Map;

/**
 * Told of everything a {@link StageRunner} does, on the thread running the stage, before the
 * runner goes on: so a caller can journal each change before it is acted on, log and print.
 * Step names are as declared; a bare call in a {@code finally} block is named
 * {@code finally 1}, {@code finally 2}...
 */
public interface StageListener {
    StageListener NONE = new StageListener() {
    };

    /** An attempt (counted from 1) is about to run. */
    default void stepStarted(String stage, String step, int attempt) {
    }

    /** A chunk of a running step's output; chunks may split lines anywhere. */
    default void stepOutput(String stage, String step, OutputSink.Stream stream, String chunk) {
    }

    /**
     * An attempt has ended.
     *
     * @param result how the command ended, or null when the step failed before a command ran
     *     (an unsupported step function, a value not known yet)
     * @param outputs what the step wrote to $PIPE_OUTPUT; empty unless it succeeded
     * @param reason why it did not succeed; null when it did
     */
    default void stepFinished(String stage, String step, int attempt, ExecResult result, Map<String, String> outputs,
            String reason) {
    }

    /** A step that does not run: its {@code when} is false, or an earlier step failed. */
    default void stepSkipped(String stage, String step, String reason) {
    }

    /** Something the stage's place did before or after its steps: a service started, a container removed. */
    default void stageNote(String stage, String text) {
    }

    /** One try of a verify check of a deploying stage. */
    default void verifyTry(String stage, dev.pipe.engine.verify.Verifier.Try t) {
    }

    /** A deployment failed after changing its environment; its rollback starts. {@code restores} may be null. */
    default void rollbackStarted(String stage, String cause, String restores) {
    }

    /** The rollback ended; {@code reason} says why it failed, or is null. */
    default void rollbackFinished(String stage, boolean succeeded, String reason) {
    }

    /** The deployment attempt was written to the environment's history. */
    default void deploymentRecorded(String stage, dev.pipe.engine.deploy.Deployment deployment) {
    }
}
