package dev.pipe.runner.local;

import dev.pipe.engine.run.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Copies a process's stdout and stderr to a sink as they arrive (from its pipes, or from the
 * spawner's frames through a {@link Decoder}), decoded as UTF-8. A character whose bytes arrive
 * in two reads is held back until it is whole; bytes that are not UTF-8 become U+FFFD. Calls to
 * the sink never overlap.
 */
final class OutputPump {
    private static final int BUFFER = 8192;
    private static final AtomicInteger READERS = new AtomicInteger();

    private final OutputSink sink;
    private final ReentrantLock lock = new ReentrantLock();
    private RuntimeException failure;

    OutputPump(OutputSink sink) {
        this.sink = sink;
    }

    /** Starts a virtual thread that reads {@code in} to its end. */
    Thread start(InputStream in, OutputSink.Stream stream, long pid) {
        return start("pipe-" + stream.name().toLowerCase(java.util.Locale.ROOT) + "-" + pid, () -> pump(in, stream));
    }

    /** Starts a virtual thread that runs {@code reader}, counted among the running readers. */
    static Thread start(String name, Runnable reader) {
        READERS.incrementAndGet();
        return Thread.ofVirtual().name(name).start(() -> {
            try {
                reader.run();
            } finally {
                READERS.decrementAndGet();
            }
        });
    }

    /** How many readers are running in this JVM, so tests can tell that none is left behind. */
    static int runningReaders() {
        return READERS.get();
    }

    /** Writes a note of pipe's own to the sink, between chunks of the process's output. */
    void note(OutputSink.Stream stream, String text) {
        deliver(stream, text);
    }

    /** The first exception the sink threw, or null. Output after it was read and dropped. */
    RuntimeException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    private void pump(InputStream in, OutputSink.Stream stream) {
        Decoder decoder = decoder(stream);
        byte[] buf = new byte[BUFFER];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                decoder.feed(buf, 0, n);
            }
        } catch (IOException e) {
            // The pipe was closed under the reader: what arrived so far is all there is.
        }
        decoder.end();
    }

    /** A decoder for one stream: bytes go in as they arrive, whole characters go to the sink. */
    Decoder decoder(OutputSink.Stream stream) {
        return new Decoder(stream);
    }

    final class Decoder {
        private final OutputSink.Stream stream;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
        // UTF-8 never decodes to more chars than it has bytes, so one decode always fits.
        private final CharBuffer chars = CharBuffer.allocate(BUFFER);

        private Decoder(OutputSink.Stream stream) {
            this.stream = stream;
        }

        /** Delivers what {@code data} completes; the bytes of a character cut off at its end wait for the rest. */
        void feed(byte[] data, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, bytes.remaining());
                bytes.put(data, offset, n);
                offset += n;
                length -= n;
                bytes.flip();
                decoder.decode(bytes, chars, false);
                bytes.compact();
                emit(stream, chars);
            }
        }

        /** The stream is over: a character still incomplete becomes U+FFFD. */
        void end() {
            bytes.flip();
            decoder.decode(bytes, chars, true);
            decoder.flush(chars);
            emit(stream, chars);
        }
    }

    private void emit(OutputSink.Stream stream, CharBuffer chars) {
        chars.flip();
        if (chars.hasRemaining()) {
            deliver(stream, chars.toString());
        }
        chars.clear();
    }

    private void deliver(OutputSink.Stream stream, String text) {
        lock.lock();
        try {
            if (failure == null) {
                sink.write(stream, text);
            }
        } catch (RuntimeException e) {
            // Keep draining the pipe so the process is not blocked on a full pipe.
            failure = e;
        } finally {
            lock.unlock();
        }
    }
}
