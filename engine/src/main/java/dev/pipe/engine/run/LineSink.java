package dev.pipe.engine.run;

import java.util.function.BiConsumer;

/**
 * Turns chunks into whole lines, per stream, for consoles that prefix every line
 * ({@code [test/unit] ok 12 tests}). A last line without a newline is delivered on close.
 */
public final class LineSink implements OutputSink {
    private final BiConsumer<Stream, String> lines;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    public LineSink(BiConsumer<Stream, String> lines) {
        this.lines = lines;
    }

    @Override
    public synchronized void write(Stream stream, String chunk) {
        StringBuilder buf = stream == Stream.STDOUT ? out : err;
        buf.append(chunk);
        int start = 0;
        for (int i = 0; i < buf.length(); i++) {
            if (buf.charAt(i) == '\n') {
                int end = i > start && buf.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.accept(stream, buf.substring(start, end));
                start = i + 1;
            }
        }
        buf.delete(0, start);
    }

    @Override
    public synchronized void close() {
        if (!out.isEmpty()) {
            lines.accept(Stream.STDOUT, out.toString());
            out.setLength(0);
        }
        if (!err.isEmpty()) {
            lines.accept(Stream.STDERR, err.toString());
            err.setLength(0);
        }
    }
}
