package dev.pipe.engine.deploy;

import java.util.List;
import java.util.Optional;

/**
 * An environment's {@code history.jsonl} as read: its entries in the order they were appended
 * (oldest first), and a torn last line if there was one.
 *
 * @param torn why the last line was left out, such as "line 7 does not end with a newline"; a
 *     kill or a power cut during an append leaves such a line, and the next append removes it
 */
public record HistoryFile(List<Deployment> entries, Optional<String> torn) {
    public HistoryFile {
        entries = List.copyOf(entries);
    }

    /** The entries, newest first. */
    public List<Deployment> newestFirst() {
        return entries.reversed();
    }
}
