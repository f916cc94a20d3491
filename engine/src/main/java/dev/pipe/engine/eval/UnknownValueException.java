package dev.pipe.engine.eval;

/**
 * An expression asked for its real text ({@link Evaluator#reveal}) still has a part that is not
 * known: a step output not written yet, a secret with no value. The message says which.
 */
public final class UnknownValueException extends RuntimeException {
    public UnknownValueException(String message) {
        super(message);
    }
}
