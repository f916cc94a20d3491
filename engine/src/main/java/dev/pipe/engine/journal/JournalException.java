package dev.pipe.engine.journal;

/** A journal that cannot be read or written: a damaged line (named by {@link #line()}), or a failed write. */
public final class JournalException extends RuntimeException {
    private final int line;

    public JournalException(String message, int line, Throwable cause) {
        super(message, cause);
        this.line = line;
    }

    public JournalException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    /** The 1-based number of the damaged line, or 0 when the problem is not one line. */
    public int line() {
        return line;
    }
}
