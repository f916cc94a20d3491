package dev.pipe.engine.secrets;

import dev.pipe.engine.run.OutputSink;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Keeps what reaches it, per stream, and whether it was closed. */
final class RecordingSink implements OutputSink {
    final Map<Stream, StringBuilder> text = new EnumMap<>(Stream.class);
    final List<String> writes = new ArrayList<>();
    int closes;

    @Override
    public void write(Stream stream, String chunk) {
        if (closes > 0) {
            throw new IllegalStateException("write after close");
        }
        writes.add(stream + ":" + chunk);
        text.computeIfAbsent(stream, s -> new StringBuilder()).append(chunk);
    }

    @Override
    public void close() {
        closes++;
    }

    String of(Stream stream) {
        return text.getOrDefault(stream, new StringBuilder()).toString();
    }
}
