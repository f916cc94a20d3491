package dev.pipe.engine.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as the journal holds it: numbered and timed.
 *
 * @param seq 1 for a journal's first line, one more for each line after it (also across resumes)
 * @param at when it was appended, to the millisecond
 */
public record JournalEntry(long seq, Instant at, JournalEvent event) {
    public JournalEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(event, "event");
    }
}
