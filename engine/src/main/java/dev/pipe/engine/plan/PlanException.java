package dev.pipe.engine.plan;

/**
 * The event given to the planner cannot be planned: an unknown {@code --input}, a value of the
 * wrong type, a push without a branch. A usage error: the message says what to pass instead.
 */
public final class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
