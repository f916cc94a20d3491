package dev.pipe.engine.run;

import java.util.List;

/** Sends every chunk to several sinks: the step's log file, the console, the event stream. */
public final class TeeSink implements OutputSink {
    private final List<OutputSink> sinks;

    public TeeSink(OutputSink... sinks) {
        this.sinks = List.of(sinks);
    }

    @Override
    public void write(Stream stream, String chunk) {
        for (OutputSink s : sinks) {
            s.write(stream, chunk);
        }
    }

    @Override
    public void close() {
        for (OutputSink s : sinks) {
            s.close();
        }
    }
}
