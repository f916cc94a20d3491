package dev.pipe.engine.deploy;

/**
 * An environment lock that cannot be taken as asked: the same run's stage already queues in
 * another live process, or the queue file is damaged. The message is one sentence for people.
 */
public final class EnvironmentLockException extends RuntimeException {
    public EnvironmentLockException(String message) {
        super(message);
    }

    public EnvironmentLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
