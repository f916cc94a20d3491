package dev.pipe.engine.journal;

import java.util.OptionalLong;

/** Another process (or this one) is driving the run already. */
public final class RunLockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final OptionalLong holder;

    public RunLockedException(String message, OptionalLong holder) {
        super(message);
        this.holder = holder;
    }

    /** The pid the holder wrote into the lock file, when it could be read. */
    public OptionalLong holder() {
        return holder;
    }
}
