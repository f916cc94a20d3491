package dev.pipe.runner.local;

import dev.pipe.engine.run.OutputSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** Keeps what a command wrote, per stream and chunk by chunk, and notices misuse of the sink. */
final class RecordingSink implements OutputSink {
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final List<String> outChunks = new ArrayList<>();
    private final List<String> errChunks = new ArrayList<>();
    private final AtomicInteger writing = new AtomicInteger();
    private final BiConsumer<Stream, String> onWrite;
    private volatile String misuse;
    private int closes;

    RecordingSink() {
        this(null);
    }

    /** {@code onWrite} sees each chunk and everything written to its stream so far. */
    RecordingSink(BiConsumer<Stream, String> onWrite) {
        this.onWrite = onWrite;
    }

    @Override
    public void write(Stream stream, String chunk) {
        if (writing.incrementAndGet() != 1) {
            misuse = "two writes overlapped";
        }
        String soFar;
        synchronized (this) {
            if (closes > 0) {
                misuse = "a write came after close: " + chunk;
            }
            (stream == Stream.STDOUT ? outChunks : errChunks).add(chunk);
            StringBuilder b = stream == Stream.STDOUT ? out : err;
            b.append(chunk);
            soFar = onWrite == null ? null : b.toString();
        }
        try {
            if (onWrite != null) {
                onWrite.accept(stream, soFar);
            }
        } finally {
            writing.decrementAndGet();
        }
    }

    @Override
    public synchronized void close() {
        closes++;
    }

    synchronized String out() {
        return out.toString();
    }

    synchronized String err() {
        return err.toString();
    }

    synchronized List<String> outChunks() {
        return List.copyOf(outChunks);
    }

    synchronized int closes() {
        return closes;
    }

    /** Null when the sink was used as promised: no overlapping writes, nothing after close. */
    String misuse() {
        return misuse;
    }

    @Override
    public synchronized String toString() {
        return "stdout:\n" + out + "\nstderr:\n" + err;
    }
}
