package dev.pipe.engine.journal;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a run stands. {@link JournalEvent.RunFinished} records one of the three final ones;
 * {@code RUNNING} and {@code INTERRUPTED} are only ever computed by {@link RunState#replay}.
 */
public enum RunStatus {
    /** No {@code run_finished} yet and the process driving it is alive. */
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** No {@code run_finished} and the process that drove it is gone (killed, crashed, power lost): resumable. */
    INTERRUPTED,
    /**
     * Paused at an approval gate ({@code run_waiting}) and no process drives it: {@code pipe
     * approve} records decisions, {@code pipe resume} continues it.
     */
    WAITING;

    /** True for the statuses a {@code run_finished} event may carry. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
