package dev.pipe.engine.journal;

/** A run named on the command line that is not there, or a prefix that fits several runs. */
public final class RunLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunLookupException(String message) {
        super(message);
    }
}
