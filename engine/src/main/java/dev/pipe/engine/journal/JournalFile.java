package dev.pipe.engine.journal;

import java.util.List;
import java.util.Optional;

/**
 * What {@link JournalReader} found in a journal.
 *
 * @param entries the events this version knows, in order
 * @param warnings one sentence per line that was skipped (an event type from a newer pipe)
 * @param torn the last line, when it was torn and left out
 * @param validLength the bytes up to the end of the last whole line: where the next line goes
 * @param lastSeq the {@code seq} of the last whole line, skipped ones included; 0 for an empty journal
 */
public record JournalFile(List<JournalEntry> entries, List<String> warnings, Optional<Torn> torn,
        long validLength, long lastSeq) {

    public JournalFile {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /** The events without their numbers and times. */
    public List<JournalEvent> events() {
        return entries.stream().map(JournalEntry::event).toList();
    }

    /**
     * A torn last line: a write that never completed, so nothing was acted on because of it.
     *
     * @param line its 1-based line number
     * @param offset where it starts, in bytes
     * @param bytes its length in bytes, newline included if it has one
     * @param reason why it counts as torn ("it does not end with a newline")
     */
    public record Torn(int line, long offset, long bytes, String reason) {
    }
}
