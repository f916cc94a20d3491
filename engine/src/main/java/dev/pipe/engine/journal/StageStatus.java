package dev.pipe.engine.journal;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a stage instance ended, as {@link JournalEvent.StageFinished} records it. */
public enum StageStatus {
    SUCCEEDED, FAILED, SKIPPED, CANCELLED;

    /** The word in the journal: {@code succeeded}, {@code failed}, ... */
    @JsonValue
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
