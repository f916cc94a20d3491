package dev.pipe.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Appends events to a run's {@code journal.jsonl}. {@link #append} returns only once the line is
 * written to the file, so a caller that appends a state change before acting on it never acts on
 * something a kill of pipe could lose: the operating system holds what was written, whatever
 * happens to the process.
 *
 * <p><b>Forcing to disk (group commit).</b> Surviving a power loss takes more: a force
 * ({@code fsync}), which costs milliseconds on a real disk, several times per step if every line
 * had its own. So how far an append goes depends on its {@link Durability}:
 * <ul>
 *   <li>{@link Durability#FORCED}: the line, and every line before it, is on the disk before
 *       {@code append} returns. Run-level events are forced (see {@link #durabilityOf}), and a
 *       caller that must not act before a power loss is ruled out passes it explicitly.</li>
 *   <li>{@link Durability#WRITTEN}: the line is written, and a background thread forces the file
 *       at most {@link #FORCE_INTERVAL} later, one force for all lines written meanwhile. Stage
 *       and step events are written so: a power loss can lose those of the last moments, which
 *       a resume then treats as not done (docs/runs.md says what exactly).</li>
 * </ul>
 * {@link #close} forces whatever is not forced yet.
 *
 * <p>Safe for many threads. Lines are written one at a time in {@code seq} order; forces are
 * shared: an appender whose line was already forced by another's force does not force again.
 * A failed write or force makes the journal refuse every later append.
 *
 * <p>Only one process may write a journal: hold the run's {@link RunLock} while a
 * {@code Journal} is open.
 */
public final class Journal implements AutoCloseable {
    /** How far an append has got when it returns. */
    public enum Durability {
        /** Written to the file: a kill of pipe cannot lose it, a power loss within {@link #FORCE_INTERVAL} can. */
        WRITTEN,
        /** Forced to the disk, with every line before it: not even a power loss can lose it. */
        FORCED
    }

    /** How long a written line waits at most before the background force starts. */
    public static final Duration FORCE_INTERVAL = Duration.ofMillis(25);

    /** Forces the journal's file to the disk; a seam for tests, which count and stall forces. */
    @FunctionalInterface
    interface Forcer {
        // force(true): an append changes the file's size, which must be durable too.
        Forcer DISK = channel -> channel.force(true);

        void force(FileChannel channel) throws IOException;
    }

    /** When and how lines are forced; tests use their own. */
    record Forcing(Duration interval, Forcer forcer) {
        static final Forcing DEFAULT = new Forcing(FORCE_INTERVAL, Forcer.DISK);

        Forcing {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(forcer, "forcer");
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final UnaryOperator<String> masker;
    private final Clock clock;
    private final JournalFile previous;
    private final Forcing forcing;

    // Virtual threads append: ReentrantLock rather than synchronized, so a thread waiting for
    // the disk does not pin its carrier thread on Java 21.
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Signalled when a background force is wanted, and when the journal closes. */
    private final Condition forceWanted = writeLock.newCondition();
    private long lastSeq;
    private long written;
    private IOException failure;
    private boolean closed;
    /** Lines were written that the background thread has been asked to force and has not started forcing. */
    private boolean forcePending;
    /** Started when the journal opens; ends when it closes. */
    private final Thread forcerThread;

    private final ReentrantLock forceLock = new ReentrantLock();
    private long forced;

    private Journal(Path file, FileChannel channel, UnaryOperator<String> masker, Clock clock,
            JournalFile previous, Forcing forcing) throws IOException {
        this.file = file;
        this.channel = channel;
        this.masker = Objects.requireNonNull(masker, "masker");
        this.clock = clock;
        this.previous = previous;
        this.forcing = forcing;
        this.lastSeq = previous.lastSeq();
        this.written = channel.size();
        this.forced = written;
        channel.position(written);
        // Started with the journal rather than at the first written-only append: starting a
        // thread takes about a millisecond in a fresh JVM, which the run's first stage would wait for.
        this.forcerThread = Thread.ofPlatform().daemon().name("pipe-journal-force").start(this::forceInBackground);
    }

    /** Creates a new, empty journal; fails if the file exists. */
    public static Journal create(Path file, UnaryOperator<String> masker) throws IOException {
        return create(file, masker, Clock.systemUTC());
    }

    public static Journal create(Path file, UnaryOperator<String> masker, Clock clock) throws IOException {
        return create(file, masker, clock, Forcing.DEFAULT);
    }

    static Journal create(Path file, UnaryOperator<String> masker, Clock clock, Forcing forcing) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Durable.syncDirectory(file.toAbsolutePath().getParent());
            return new Journal(file, channel, masker, clock,
                    new JournalFile(List.of(), List.of(), Optional.empty(), 0, 0), forcing);
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
        return reopen(file, masker, clock, Forcing.DEFAULT);
    }

    static Journal reopen(Path file, UnaryOperator<String> masker, Clock clock, Forcing forcing) throws IOException {
        JournalFile previous = JournalReader.read(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (channel.size() != previous.validLength()) {
                channel.truncate(previous.validLength());
                forcing.forcer().force(channel);
            }
            Journal journal = new Journal(file, channel, masker, clock, previous, forcing);
            try {
                previous.torn().ifPresent(t -> journal.append(
                        new JournalEvent.JournalRepaired(t.line(), t.bytes(), t.reason())));
            } catch (RuntimeException e) {
                try {
                    journal.close(); // ends its background thread and closes the channel
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return journal;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * How far {@link #append(JournalEvent)} takes an event. Forced: the events of the run as a
     * whole, which are few and which a power loss must not undo (a run that was started,
     * resumed, cancelled or finished stays so). Written: the many stage and step events; losing
     * the last of them to a power loss only makes a resume redo the steps they were about.
     */
    public static Durability durabilityOf(JournalEvent event) {
        return switch (event) {
            case JournalEvent.RunStarted e -> Durability.FORCED;
            case JournalEvent.RunResumed e -> Durability.FORCED;
            case JournalEvent.RunCancelled e -> Durability.FORCED;
            case JournalEvent.RunFinished e -> Durability.FORCED;
            case JournalEvent.JournalRepaired e -> Durability.FORCED;
            case JournalEvent.StageReady e -> Durability.WRITTEN;
            case JournalEvent.StageStarted e -> Durability.WRITTEN;
            case JournalEvent.StageFinished e -> Durability.WRITTEN;
            case JournalEvent.StepStarted e -> Durability.WRITTEN;
            case JournalEvent.StepFinished e -> Durability.WRITTEN;
            case JournalEvent.StepSkipped e -> Durability.WRITTEN;
            // Deployments: what gates let through, what people decided, rollbacks and what the
            // environment's history was told must survive a power loss before pipe acts on them.
            case JournalEvent.GateWaiting e -> Durability.FORCED;
            case JournalEvent.GatePassed e -> Durability.FORCED;
            case JournalEvent.ApprovalRecorded e -> Durability.FORCED;
            case JournalEvent.RunWaiting e -> Durability.FORCED;
            case JournalEvent.RollbackStarted e -> Durability.FORCED;
            case JournalEvent.RollbackFinished e -> Durability.FORCED;
            case JournalEvent.DeploymentRecorded e -> Durability.FORCED;
            case JournalEvent.VerifyTry e -> Durability.WRITTEN;
        };
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

    private volatile Consumer<String> observer;

    /**
     * Hands every line appended from now on, as written (masked), to {@code observer}, in
     * journal order: for event streams such as `pipe run --output json`.
     */
    public void observe(Consumer<String> observer) {
        this.observer = observer;
    }

    /**
     * Appends the event with the durability {@link #durabilityOf} gives it.
     *
     * @throws JournalException when the line cannot be written or forced
     */
    public JournalEntry append(JournalEvent event) {
        return append(event, durabilityOf(event));
    }

    /**
     * Writes the event as the next line, and with {@link Durability#FORCED} forces it to disk,
     * before returning. Every string value goes through the masker first. After a failed write
     * or force the journal refuses further appends: a run that cannot record its state must not
     * go on.
     *
     * @throws JournalException when the line cannot be written or forced
     */
    public JournalEntry append(JournalEvent event, Durability durability) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(durability, "durability");
        String body = JournalCodec.body(event, masker);
        JournalEntry entry;
        long end;
        writeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the journal " + file + " is closed");
            }
            refuseAfterFailure();
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
            Consumer<String> watcher = observer;
            if (watcher != null) {
                line.rewind();
                watcher.accept(StandardCharsets.UTF_8.decode(line).toString().stripTrailing());
            }
            if (durability == Durability.WRITTEN) {
                forceLater();
            }
        } finally {
            writeLock.unlock();
        }
        if (durability == Durability.FORCED) {
            forceThrough(end);
        }
        return entry;
    }

    /** Call with the write lock held. */
    private void refuseAfterFailure() {
        if (failure != null) {
            throw new JournalException("the journal " + file + " could not be written earlier: " + failure.getMessage(), failure);
        }
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
     * Asks the background thread for a force, unless one is already asked for: the lines written
     * until it starts share it. Call with the write lock held.
     */
    private void forceLater() {
        if (forcePending) {
            return;
        }
        forcePending = true;
        forceWanted.signal();
    }

    /**
     * The background thread: waits until lines are written, then {@link Forcing#interval} more so
     * that the lines written meanwhile share one force, then forces. Ends when the journal closes
     * ({@link #close} forces what is left itself). A failed force is kept in {@code failure}, so
     * the next append reports it.
     */
    private void forceInBackground() {
        while (true) {
            long target;
            writeLock.lock();
            try {
                while (!forcePending && !closed) {
                    forceWanted.awaitUninterruptibly();
                }
                long wait = forcing.interval().toNanos();
                while (!closed && wait > 0) {
                    try {
                        wait = forceWanted.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        // Nobody else interrupts this thread; go on forcing as asked.
                    }
                }
                if (closed) {
                    return;
                }
                forcePending = false;
                target = written;
            } finally {
                writeLock.unlock();
            }
            try {
                forceThrough(target);
            } catch (JournalException e) {
                // forceThrough kept the cause: the next append refuses with it.
            }
        }
    }

    /**
     * Forces everything written so far if {@code end} is not on disk yet. Whoever forces covers
     * every line written before it started, so the appenders waiting behind it usually find
     * their line already forced.
     */
    private void forceThrough(long end) {
        forceLock.lock();
        try {
            if (forced >= end) {
                return;
            }
            long target;
            writeLock.lock();
            try {
                refuseAfterFailure();
                target = written;
            } finally {
                writeLock.unlock();
            }
            try {
                forcing.forcer().force(channel);
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

    /** Forces what is not forced yet, stops the background thread and closes the file. */
    @Override
    public void close() throws IOException {
        Thread background;
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            background = forcerThread;
            forceWanted.signalAll();
        } finally {
            writeLock.unlock();
        }
        if (background != null) {
            joinUninterruptibly(background);
        }
        forceLock.lock();
        try {
            IOException earlier;
            long end;
            writeLock.lock();
            try {
                earlier = failure;
                end = written;
            } finally {
                writeLock.unlock();
            }
            if (earlier == null && forced < end) {
                forcing.forcer().force(channel);
                forced = end;
            }
        } finally {
            try {
                channel.close();
            } finally {
                forceLock.unlock();
            }
        }
    }

    /**
     * Waits for the background thread, which at most finishes a force it had started: the file
     * must not be closed under it.
     */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
