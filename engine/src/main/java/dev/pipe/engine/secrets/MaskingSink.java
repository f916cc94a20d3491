package dev.pipe.engine.secrets;

import dev.pipe.engine.run.OutputSink;
import java.util.EnumMap;
import java.util.Map;

/**
 * An {@link OutputSink} that masks secrets before passing output on. A secret may arrive split
 * across two writes, so each stream holds back a short tail (at most the longest masked form
 * minus one char; none after a newline when no secret spans lines) until it can no longer be
 * the start of a secret; {@link #close()} flushes the tails, then closes the wrapped sink.
 * Writes from several threads (a stdout and a stderr reader) are serialised.
 */
public final class MaskingSink implements OutputSink {
    private final OutputSink out;
    private final Masker masker;
    private final Map<Stream, StreamMasker> streams = new EnumMap<>(Stream.class);
    private boolean closed;

    public MaskingSink(OutputSink out, Masker masker) {
        this.out = out;
        this.masker = masker;
    }

    @Override
    public synchronized void write(Stream stream, String chunk) {
        if (closed) {
            throw new IllegalStateException("write to a closed " + stream + " sink");
        }
        if (masker.isEmpty()) {
            out.write(stream, chunk);
            return;
        }
        String masked = streams.computeIfAbsent(stream, s -> masker.stream()).push(chunk);
        if (!masked.isEmpty()) {
            out.write(stream, masked);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        streams.forEach((stream, tail) -> {
            String rest = tail.finish();
            if (!rest.isEmpty()) {
                out.write(stream, rest);
            }
        });
        out.close();
    }
}
