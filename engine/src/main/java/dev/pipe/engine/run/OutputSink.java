package dev.pipe.engine.run;

/**
 * Where a running step's output goes, chunk by chunk as the process writes it. Chunks may split
 * lines (and secrets) anywhere; sinks that care about lines or secrets buffer.
 */
public interface OutputSink {
    enum Stream {
        STDOUT, STDERR
    }

    void write(Stream stream, String chunk);

    /** The step ended: flush anything held back. */
    default void close() {
    }
}
