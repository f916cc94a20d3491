package dev.pipe.engine.journal;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a step ended. {@link JournalEvent.StepFinished} records the first four; {@code SKIPPED} is
 * what {@link RunState} says of a step recorded by {@link JournalEvent.StepSkipped}.
 */
public enum StepOutcome {
    SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED;

    /** The word in the journal: {@code succeeded}, {@code timed_out}, ... */
    @JsonValue
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
