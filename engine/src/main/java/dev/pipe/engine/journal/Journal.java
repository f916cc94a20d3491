package dev.pipe.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Appends events to a run's {@code journal.jsonl}. {@link #append} returns only once the line is
 * on disk, so a caller that appends a state change before acting on it never acts on something
 * a crash could lose.
 *
 * <p>Safe for many threads. Lines are written one at a time in {@code seq} order; the flush to
 * disk is shared: an appender whose line was already flushed by another's {@code force} does not
 * force again, so parallel stages do not queue behind one another's disk flushes.
 *
 * <p>Only one process may write a journal: hold the run's {@link RunLock} while a
 * {@code Journal} is open.
 */
public final class Journal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final UnaryOperator<String> masker;
    private final Clock clock;
    private final JournalFile previous;

    // Virtual threads append: ReentrantLock rather than synchronized, so a thread waiting for
    // the disk does not pin its carrier thread on Java 21.
    private final ReentrantLock writeLock = new ReentrantLock();
    private long lastSeq;
    private long written;
    private IOException failure;
    private boolean closed;

    private final ReentrantLock forceLock = new ReentrantLock();
    private long forced;

    private Journal(Path file, FileChannel channel, UnaryOperator<String> masker, Clock clock,
            JournalFile previous) throws IOException {
        this.file = file;
        this.channel = channel;
        this.masker = Objects.requireNonNull(masker, "masker");
        this.clock = clock;
        this.previous = previous;
        this.lastSeq = previous.lastSeq();
        this.written = channel.size();
        this.forced = written;
        channel.position(written);
    }

    /** Creates a new, empty journal; fails if the file exists. */
    public static Journal create(Path file, UnaryOperator<String> masker) throws IOException {
        return create(file, masker, Clock.systemUTC());
    }

    public static Journal create(Path file, UnaryOperator<String> masker, Clock clock) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Durable.syncDirectory(file.toAbsolutePath().getParent());
            return new Journal(file, channel, masker, clock,
                    new JournalFile(List.of(), List.of(), Optional.empty(), 0, 0));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens an existing journal to go on appending (a resume). A torn last line is cut off first,
     * and a {@link JournalEvent.JournalRepaired} event records that it was; numbering goes on
     * from the last {@code seq}. A journal damaged before its last line is refused with a
     * {@link JournalException}.
     */
    public static Journal reopen(Path file, UnaryOperator<String> masker) throws IOException {
        return reopen(file, masker, Clock.systemUTC());
    }

    public static Journal reopen(Path file, UnaryOperator<String> masker, Clock clock) throws IOException {
        JournalFile previous = JournalReader.read(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (channel.size() != previous.validLength()) {
                channel.truncate(previous.validLength());
                channel.force(true);
            }
            Journal journal = new Journal(file, channel, masker, clock, previous);
            previous.torn().ifPresent(t -> journal.append(
                    new JournalEvent.JournalRepaired(t.line(), t.bytes(), t.reason())));
            return journal;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** What the file held when it was opened: nothing for {@link #create}, the run so far for {@link #reopen}. */
    public JournalFile previous() {
        return previous;
    }

    /** The torn last line {@link #reopen} cut off, if it did. */
    public Optional<JournalFile.Torn> repaired() {
        return previous.torn();
    }

    public long lastSeq() {
        writeLock.lock();
        try {
            return lastSeq;
        } finally {
            writeLock.unlock();
        }
    }

    private volatile java.util.function.Consumer<String> observer;

    /**
     * Hands every line appended from now on, as written (masked), to {@code observer}, in
     * journal order: for event streams such as `pipe run --output json`.
     */
    public void observe(java.util.function.Consumer<String> observer) {
        this.observer = observer;
    }

    /**
     * Writes the event as the next line and forces it to disk before returning. Every string
     * value goes through the masker first. After a failed write the journal refuses further
     * appends: a run that cannot record its state must not go on.
     *
     * @throws JournalException when the line cannot be written or flushed
     */
    public JournalEntry append(JournalEvent event) {
        Objects.requireNonNull(event, "event");
        String body = JournalCodec.body(event, masker);
        JournalEntry entry;
        long end;
        writeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the journal " + file + " is closed");
            }
            if (failure != null) {
                throw new JournalException("the journal " + file + " could not be written earlier: " + failure.getMessage(), failure);
            }
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            entry = new JournalEntry(lastSeq + 1, at, event);
            ByteBuffer line = ByteBuffer.wrap(JournalCodec.line(entry.seq(), at, body));
            int length = line.remaining();
            try {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            } catch (IOException e) {
                failure = e;
                undoPartialWrite();
                throw new JournalException("could not write to the journal " + file + ": " + e.getMessage(), e);
            }
            lastSeq = entry.seq();
            written += length;
            end = written;
            java.util.function.Consumer<String> watcher = observer;
            if (watcher != null) {
                line.rewind();
                watcher.accept(java.nio.charset.StandardCharsets.UTF_8.decode(line).toString().stripTrailing());
            }
        } finally {
            writeLock.unlock();
        }
        flushThrough(end);
        return entry;
    }

    /** Leaves no half line behind a failed write, so the file stays readable. */
    private void undoPartialWrite() {
        try {
            channel.truncate(written);
            channel.position(written);
        } catch (IOException ignored) {
            // The journal already refuses appends; a half line left at the end reads as torn.
        }
    }

    /**
     * Forces everything written so far if {@code end} is not on disk yet. Whoever forces covers
     * every line written before it started, so the appenders waiting behind it usually find
     * their line already flushed.
     */
    private void flushThrough(long end) {
        forceLock.lock();
        try {
            if (forced >= end) {
                return;
            }
            long target;
            writeLock.lock();
            try {
                target = written;
            } finally {
                writeLock.unlock();
            }
            try {
                // force(true): an append changes the file's size, which must be durable too.
                channel.force(true);
            } catch (IOException e) {
                writeLock.lock();
                try {
                    failure = e;
                } finally {
                    writeLock.unlock();
                }
                throw new JournalException("could not flush the journal " + file + " to disk: " + e.getMessage(), e);
            }
            forced = target;
        } finally {
            forceLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        forceLock.lock();
        try {
            channel.close();
        } finally {
            forceLock.unlock();
        }
    }
}
