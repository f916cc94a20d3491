package dev.pipe.engine.deploy;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code lock} of an environment: one deploying stage at a time across every {@code pipe}
 * process on the machine, the others waiting in the order they arrived.
 *
 * <p>The queue is {@code <state>/environments/<env>/lock/queue.json} ({@link EnvironmentDir}):
 * tickets in arrival order, each numbered from a counter that only grows. Every read or change
 * of it happens inside a short critical section, an exclusive lock on {@code queue.lock}; the
 * file is replaced whole by a rename, so a reader never sees half of it. The lock belongs to
 * the first ticket of the queue; the others poll every {@code poll} (100 ms by default) until
 * theirs is first.
 *
 * <p>A ticket names its process by pid and the start time the system gives that process, so a
 * pid reused by another process does not pass for the old one. A ticket whose process has ended
 * (kill -9 included) no longer counts once it reaches the front: the next process that looks at
 * the queue removes it, so a dead holder blocks the environment for one poll at most. Dead
 * tickets further back are kept until they reach the front, so that a run resumed by
 * {@code pipe resume} gets its place back: {@link #acquire} by the same run and stage takes over
 * the dead ticket, in its old place. If that ticket was removed in the meantime, the resumed run
 * queues at the end like any other.
 */
public final class EnvironmentLock {
    /** How often a waiting run looks at the queue. */
    public static final Duration POLL = Duration.ofMillis(100);

    private final EnvironmentDir env;
    private final Clock clock;
    private final Duration poll;
    private final Owner me;

    public EnvironmentLock(Path stateDir, String environment) {
        this(stateDir, environment, Clock.systemUTC(), POLL);
    }

    /** With a clock for the times in tickets and a poll interval, for tests. */
    public EnvironmentLock(Path stateDir, String environment, Clock clock, Duration poll) {
        this.env = EnvironmentDir.of(stateDir, environment);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.me = Owner.current();
    }

    public String environment() {
        return env.name();
    }

    /**
     * Takes the lock for a run's stage, waiting for those that arrived first.
     *
     * <p>While it waits, {@code onWaiting} hears who holds the lock and how many live tickets are
     * ahead: once when the wait begins and again whenever either changes. Waiting ends, and the
     * ticket is removed, when {@code cancelled} answers true (a {@link LockWaitCancelledException}),
     * when the thread is interrupted ({@link InterruptedException}), or when anything else fails.
     *
     * @throws EnvironmentLockException when another live process holds or waits for the lock
     *     for the same run and stage, or the queue file is damaged
     * @throws IllegalStateException when this process already holds or waits for it for them
     */
    public Held acquire(String runId, String stage, BooleanSupplier cancelled, Consumer<Waiting> onWaiting)
            throws IOException, InterruptedException {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(onWaiting, "onWaiting");
        Enqueued[] enqueued = new Enqueued[1];
        Queue queue;
        try {
            queue = interruptibly(() -> critical(q -> {
                enqueued[0] = enqueue(q, runId, stage);
                return enqueued[0].queue();
            }));
        } catch (IOException | InterruptedException e) {
            // The new ticket may have been written before the failure; it must not block others.
            leave(t -> t.runId().equals(runId) && t.stage().equals(stage) && me.owns(t));
            throw e;
        }
        Ticket mine = enqueued[0].ticket();
        boolean resumed = enqueued[0].resumed();
        Waiting last = null;
        try {
            while (true) {
                int at = indexOf(queue, mine.seq());
                if (at < 0 || !me.owns(queue.tickets().get(at))) {
                    throw new EnvironmentLockException("the lock queue of " + env.name() + " lost the ticket of run "
                            + runId + " (stage " + stage + "); was " + env.queue() + " edited or deleted?");
                }
                if (at == 0) {
                    return new Held(queue.tickets().get(0), resumed);
                }
                Ticket holder = queue.tickets().get(0);
                int ahead = (int) queue.tickets().subList(0, at).stream().filter(EnvironmentLock::isLive).count();
                Waiting waiting = new Waiting(holder, ahead, queue.tickets().get(at));
                if (last == null || last.holder().seq() != holder.seq() || last.ahead() != ahead) {
                    onWaiting.accept(waiting);
                }
                last = waiting;
                if (cancelled.getAsBoolean()) {
                    throw new LockWaitCancelledException("stopped waiting for the lock of " + env.name() + ".");
                }
                Thread.sleep(poll);
                queue = interruptibly(() -> critical(q -> q));
            }
        } catch (Throwable e) {
            leave(t -> t.seq() == mine.seq() && me.owns(t));
            throw e;
        }
    }

    /** The ticket holding the lock now, if any; dead tickets at the front are passed over, not removed. */
    public Optional<Ticket> holder() throws IOException {
        return readQueue().tickets().stream().filter(EnvironmentLock::isLive).findFirst();
    }

    /** Every ticket, the holder's first, as the file holds them (dead ones included). */
    public List<Ticket> queue() throws IOException {
        return readQueue().tickets();
    }

    /** Whether the process that took {@code ticket} still runs. */
    public static boolean isLive(Ticket ticket) {
        Optional<ProcessHandle> handle = ProcessHandle.of(ticket.pid());
        if (handle.isEmpty() || !handle.get().isAlive() || isZombie(ticket.pid())) {
            return false;
        }
        if (ticket.pidStartedAt() == null) {
            return true;
        }
        // A different start time is a different process that was given the same pid.
        return handle.get().info().startInstant().map(ticket.pidStartedAt()::equals).orElse(true);
    }

    /**
     * Whether the process has ended but its parent has not collected it yet. Java counts such a
     * process as alive; a parent that never collects it must not wedge the environment. Only
     * Linux tells, in {@code /proc/<pid>/stat}: the state after the command's closing parenthesis.
     */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A ticket in the queue.
     *
     * @param seq its number: tickets are served in this order
     * @param pid the process that waits or holds
     * @param pidStartedAt when that process started, as the system tells it, or null where it cannot
     * @param queuedAt when the ticket joined the queue
     * @param acquiredAt when the ticket came to the front, or null while it waits
     */
    public record Ticket(long seq, String runId, String stage, long pid, Instant pidStartedAt, Instant queuedAt,
            Instant acquiredAt) {
        public Ticket {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(queuedAt, "queuedAt");
        }

        /** "run 20261124-150211-ab3d (stage deploy_production, pipe process 4242, since 15:02:11Z)". */
        public String describe() {
            return "run " + runId + " (stage " + stage + ", pipe process " + pid
                    + (acquiredAt == null ? "" : ", since " + acquiredAt) + ")";
        }

        Ticket withAcquiredAt(Instant at) {
            return new Ticket(seq, runId, stage, pid, pidStartedAt, queuedAt, at);
        }

        Ticket withOwner(Owner owner) {
            return new Ticket(seq, runId, stage, owner.pid(), owner.startedAt(), queuedAt, acquiredAt);
        }
    }

    /**
     * What a waiting run is told.
     *
     * @param holder the ticket at the front, which holds the lock
     * @param ahead how many live tickets are ahead of this one, the holder's included
     * @param mine this run's ticket
     */
    public record Waiting(Ticket holder, int ahead, Ticket mine) {
        /** "waiting for the lock of production: run ... holds it; 2 runs ahead". */
        public String describe(String environment) {
            return "waiting for the lock of " + environment + ": " + holder.describe() + " holds it"
                    + (ahead > 1 ? "; " + ahead + " runs ahead, the holder included" : "");
        }
    }

    /** The lock, held until {@link #release}. */
    public final class Held implements AutoCloseable {
        private final Ticket ticket;
        private final boolean resumed;
        private final AtomicBoolean released = new AtomicBoolean();

        private Held(Ticket ticket, boolean resumed) {
            this.ticket = ticket;
            this.resumed = resumed;
        }

        public Ticket ticket() {
            return ticket;
        }

        /** Whether this took over a ticket the same run and stage left behind when its process died. */
        public boolean resumed() {
            return resumed;
        }

        /** Lets the next ticket in; later calls do nothing. */
        public void release() throws IOException {
            if (released.compareAndSet(false, true)) {
                critical(q -> new Queue(q.nextSeq(),
                        q.tickets().stream().filter(t -> !(t.seq() == ticket.seq() && me.owns(t))).toList()));
            }
        }

        @Override
        public void close() throws IOException {
            release();
        }
    }

    // ------------------------------------------------------------------ the queue file

    /** The process that takes tickets here. */
    record Owner(long pid, Instant startedAt) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), self.info().startInstant().orElse(null));
        }

        boolean owns(Ticket t) {
            return t.pid() == pid && Objects.equals(t.pidStartedAt(), startedAt);
        }
    }

    /** The contents of {@code queue.json}. */
    record Queue(long nextSeq, List<Ticket> tickets) {
        Queue {
            tickets = tickets == null ? null : List.copyOf(tickets);
        }
    }

    private record Enqueued(Queue queue, Ticket ticket, boolean resumed) {
    }

    private Enqueued enqueue(Queue q, String runId, String stage) {
        List<Ticket> tickets = new ArrayList<>(q.tickets());
        long next = q.nextSeq();
        for (int i = 0; i < tickets.size(); i++) {
            Ticket t = tickets.get(i);
            if (!t.runId().equals(runId) || !t.stage().equals(stage)) {
                continue;
            }
            if (me.owns(t)) {
                throw new IllegalStateException("run " + runId + " (stage " + stage + ") already holds or waits for the lock of "
                        + env.name() + " in this process");
            }
            if (isLive(t)) {
                throw new EnvironmentLockException("run " + runId + " (stage " + stage + ") already "
                        + (i == 0 ? "holds" : "waits for") + " the lock of " + env.name() + " in pipe process " + t.pid()
                        + "; stop that process first.");
            }
            Ticket adopted = t.withOwner(me);
            tickets.set(i, adopted);
            return new Enqueued(new Queue(next, tickets), adopted, true);
        }
        Ticket fresh = new Ticket(next, runId, stage, me.pid(), me.startedAt(), clock.instant(), null);
        tickets.add(fresh);
        return new Enqueued(new Queue(next + 1, tickets), fresh, false);
    }

    private interface Change {
        Queue apply(Queue queue) throws IOException;
    }

    /**
     * Reads the queue, applies {@code change}, removes dead tickets from the front, stamps the
     * new front's {@code acquired_at}, and writes the queue back if anything changed; all under
     * {@code queue.lock}. Returns the queue as written.
     */
    private Queue critical(Change change) throws IOException {
        return FileMutex.with(env.queueLock(), () -> {
            Queue before = readQueue();
            Queue settled = settle(change.apply(before));
            if (!settled.equals(before)) {
                writeQueue(settled);
            }
            return settled;
        });
    }

    private Queue settle(Queue q) {
        List<Ticket> tickets = new ArrayList<>(q.tickets());
        while (!tickets.isEmpty() && !me.owns(tickets.get(0)) && !isLive(tickets.get(0))) {
            tickets.remove(0);
        }
        if (!tickets.isEmpty() && tickets.get(0).acquiredAt() == null) {
            tickets.set(0, tickets.get(0).withAcquiredAt(clock.instant()));
        }
        return new Queue(q.nextSeq(), tickets);
    }

    private Queue readQueue() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(env.queue());
        } catch (NoSuchFileException e) {
            return new Queue(1, List.of());
        }
        try {
            Queue q = DeployJson.MAPPER.readValue(bytes, Queue.class);
            if (q.tickets() == null) {
                throw new IOException("it has no tickets");
            }
            return q;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new EnvironmentLockException("the lock queue " + env.queue() + " is damaged (" + DeployJson.why(e)
                    + "); delete it once no run is deploying to " + env.name() + ".", e);
        }
    }

    private void writeQueue(Queue q) throws IOException {
        AtomicFiles.createDirectories(env.lockDir());
        AtomicFiles.write(env.queue(), DeployJson.line(q, UnaryOperator.identity()).getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(Queue q, long seq) {
        for (int i = 0; i < q.tickets().size(); i++) {
            if (q.tickets().get(i).seq() == seq) {
                return i;
            }
        }
        return -1;
    }

    /** Leaves the queue after a failed wait, whatever the thread's interrupt status. */
    private void leave(java.util.function.Predicate<Ticket> mine) {
        boolean interrupted = Thread.interrupted();
        try {
            critical(q -> new Queue(q.nextSeq(), q.tickets().stream().filter(mine.negate()).toList()));
        } catch (IOException | RuntimeException e) {
            // The ticket stays; once this process ends, the next waiter removes it.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    /** An interrupt during file I/O closes the channel; report it as the interrupt it is. */
    private static <T> T interruptibly(Io<T> body) throws IOException, InterruptedException {
        try {
            return body.run();
        } catch (ClosedByInterruptException | FileLockInterruptionException e) {
            Thread.interrupted();
            InterruptedException interrupted = new InterruptedException("interrupted while reading the lock queue");
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
