package dev.pipe.engine.deploy;

/** A wait for an environment's lock ended because the run was cancelled; the run's ticket has left the queue. */
public final class LockWaitCancelledException extends RuntimeException {
    public LockWaitCancelledException(String message) {
        super(message);
    }
}
