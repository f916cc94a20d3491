package dev.pipe.stdlib.git;

/** Git could not answer: a sentence for the person at the terminal, never a stack trace. */
public final class GitException extends Exception {
    public GitException(String message) {
        super(message);
    }

    public GitException(String message, Throwable cause) {
        super(message, cause);
    }
}
