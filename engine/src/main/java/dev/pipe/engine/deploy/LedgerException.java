package dev.pipe.engine.deploy;

/**
 * A question the ledger cannot answer as asked (a version never deployed successfully), or a
 * history file damaged before its last line. The message is one sentence for people.
 */
public final class LedgerException extends RuntimeException {
    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
