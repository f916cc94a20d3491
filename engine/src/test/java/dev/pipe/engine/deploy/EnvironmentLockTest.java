package dev.pipe.engine.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.deploy.EnvironmentLock.Held;
import dev.pipe.engine.deploy.EnvironmentLock.Ticket;
import dev.pipe.engine.deploy.EnvironmentLock.Waiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EnvironmentLockTest {
    private static final Instant T0 = Instant.parse("2026-11-24T15:00:00Z");

    @TempDir
    Path state;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void endProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private EnvironmentLock lock() {
        return new EnvironmentLock(state, "production", Clock.fixed(T0, ZoneOffset.UTC), Duration.ofMillis(5));
    }

    private static final EnvironmentLock.Owner ME = EnvironmentLock.Owner.current();

    /** A waiter on another thread, whose Waiting reports the test can take in order. */
    private final class Waiter {
        final BlockingQueue<Waiting> told = new LinkedBlockingQueue<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final CompletableFuture<Held> held = new CompletableFuture<>();

        Waiter(String run, String stage) {
            Thread.ofVirtual().start(() -> {
                thread.set(Thread.currentThread());
                try {
                    held.complete(lock().acquire(run, stage, cancelled::get, told::add));
                } catch (Throwable e) {
                    held.completeExceptionally(e);
                }
            });
        }

        Waiting next() throws InterruptedException {
            Waiting w = told.poll(30, TimeUnit.SECONDS);
            if (w == null) {
                throw new AssertionError("the waiter was told nothing within 30 s");
            }
            return w;
        }

        Held get() throws Exception {
            return held.get(30, TimeUnit.SECONDS);
        }
    }

    private Held take(String run) throws Exception {
        return lock().acquire(run, "deploy", () -> false, w -> {
            throw new AssertionError(run + " should not wait, but was told " + w);
        });
    }

    /** A process that has ended, with its start time so that a reuse of its pid is not taken for it. */
    private EnvironmentLock.Owner deadProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "120").start();
        Instant started = p.toHandle().info().startInstant().orElseThrow();
        p.destroyForcibly();
        p.waitFor();
        return new EnvironmentLock.Owner(p.pid(), started);
    }

    private static Ticket ticket(long seq, String run, EnvironmentLock.Owner owner, Instant acquired) {
        return ticket(seq, run, owner.pid(), owner.startedAt(), acquired);
    }

    /** A process that runs until the test ends. */
    private ProcessHandle liveProcess() throws IOException {
        Process p = new ProcessBuilder("sleep", "120").start();
        processes.add(p);
        return p.toHandle();
    }

    private void writeQueue(long next, Ticket... tickets) throws IOException {
        EnvironmentDir env = EnvironmentDir.of(state, "production");
        Files.createDirectories(env.lockDir());
        Files.writeString(env.queue(), DeployJson.line(new EnvironmentLock.Queue(next, List.of(tickets)),
                UnaryOperator.identity()));
    }

    private static Ticket ticket(long seq, String run, long pid, Instant started, Instant acquired) {
        return new Ticket(seq, run, "deploy", pid, started, T0.minusSeconds(600), acquired);
    }

    private List<String> queued() throws IOException {
        return lock().queue().stream().map(Ticket::runId).toList();
    }

    @Test
    void anEmptyQueueGivesTheLockAtOnce() throws Exception {
        assertEquals(Optional.empty(), lock().holder());
        Held held = take("run-1");
        Ticket t = held.ticket();
        assertEquals(1, t.seq());
        assertEquals("run-1", t.runId());
        assertEquals(ProcessHandle.current().pid(), t.pid());
        assertEquals(T0, t.acquiredAt());
        assertFalse(held.resumed());
        assertEquals(Optional.of(t), lock().holder());
        Path queue = state.resolve("environments/production/lock/queue.json");
        assertEquals("{\"next_seq\":2,\"tickets\":[{\"seq\":1,\"run_id\":\"run-1\",\"stage\":\"deploy\",\"pid\":"
                + t.pid() + ",\"pid_started_at\":\"" + ME.startedAt() + "\",\"queued_at\":\"2026-11-24T15:00:00Z\","
                + "\"acquired_at\":\"2026-11-24T15:00:00Z\"}]}", Files.readString(queue, StandardCharsets.UTF_8));
        held.release();
        held.release();
        assertEquals(List.of(), lock().queue());
        try (Held again = take("run-2")) {
            assertEquals(2, again.ticket().seq(), "ticket numbers only grow");
        }
    }

    @Test
    void waitersAreServedInArrivalOrderAndHearWhoHolds() throws Exception {
        Held first = take("run-1");
        Waiter second = new Waiter("run-2", "deploy");
        Waiting w2 = second.next();
        assertEquals(first.ticket(), w2.holder());
        assertEquals(1, w2.ahead());
        assertEquals("run-2", w2.mine().runId());
        Waiter third = new Waiter("run-3", "deploy");
        Waiting w3 = third.next();
        assertEquals("run-1", w3.holder().runId());
        assertEquals(2, w3.ahead());
        assertEquals(List.of("run-1", "run-2", "run-3"), queued());
        assertEquals("waiting for the lock of production: run run-1 (stage deploy, pipe process " + ME.pid()
                + ", since 2026-11-24T15:00:00Z) holds it; 2 runs ahead, the holder included", w3.describe("production"));

        first.release();
        Held secondHeld = second.get();
        assertEquals("run-2", secondHeld.ticket().runId());
        Waiting now = third.next();
        assertEquals("run-2", now.holder().runId());
        assertEquals(1, now.ahead());
        assertFalse(third.held.isDone());

        secondHeld.release();
        try (Held thirdHeld = third.get()) {
            assertEquals(List.of("run-3"), queued());
            assertEquals(3, thirdHeld.ticket().seq());
        }
        assertTrue(second.told.isEmpty(), "told only when the holder or the count ahead changes");
    }

    @Test
    void cancellingAWaitLeavesTheQueue() throws Exception {
        try (Held first = take("run-1")) {
            assertEquals("run-1", first.ticket().runId());
            Waiter second = new Waiter("run-2", "deploy");
            second.next();
            second.cancelled.set(true);
            ExecutionException e = assertThrows(ExecutionException.class, second::get);
            assertTrue(e.getCause() instanceof LockWaitCancelledException, e.toString());
            assertEquals("stopped waiting for the lock of production.", e.getCause().getMessage());
            assertEquals(List.of("run-1"), queued());
        }
    }

    @Test
    void interruptingAWaitLeavesTheQueue() throws Exception {
        try (Held first = take("run-1")) {
            assertEquals("run-1", first.ticket().runId());
            Waiter second = new Waiter("run-2", "deploy");
            second.next();
            second.thread.get().interrupt();
            ExecutionException e = assertThrows(ExecutionException.class, second::get);
            assertTrue(e.getCause() instanceof InterruptedException, e.toString());
            assertEquals(List.of("run-1"), queued());
        }
    }

    @Test
    void aTicketWhoseProcessDiedIsRemovedByTheNextArrival() throws Exception {
        writeQueue(8, ticket(7, "killed", deadProcess(), T0.minusSeconds(300)));
        assertEquals(Optional.empty(), lock().holder());
        try (Held held = take("run-2")) {
            assertEquals(8, held.ticket().seq());
            assertEquals(List.of("run-2"), queued());
        }
    }

    @Test
    void aProcessThatEndedButWasNotCollectedCountsAsDead() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "only Linux tells zombies apart");
        // `sleep 0` ends at once, and its parent, now `sleep 120`, never collects it.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 120").start();
        processes.add(parent);
        long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                parent.getInputStream(), StandardCharsets.UTF_8)).readLine().strip());
        Path stat = Path.of("/proc", Long.toString(zombie), "stat");
        for (int i = 0; i < 3000 && !Files.readString(stat).contains(") Z "); i++) {
            Thread.sleep(10); // no signal exists for another process's child ending
        }
        assertTrue(ProcessHandle.of(zombie).orElseThrow().isAlive(), "Java still counts it as alive");
        writeQueue(2, ticket(1, "killed", zombie, null, T0));
        assertFalse(EnvironmentLock.isLive(lock().queue().get(0)));
        try (Held held = take("run-2")) {
            assertEquals(2, held.ticket().seq());
            assertEquals(List.of("run-2"), queued());
        }
    }

    @Test
    void aReusedPidDoesNotPassForTheProcessThatTookTheTicket() throws Exception {
        // This process's pid, but another start time: the pid was given to us after the holder died.
        Instant earlier = ME.startedAt().minusSeconds(3600);
        writeQueue(2, ticket(1, "killed", ME.pid(), earlier, T0.minusSeconds(300)));
        assertFalse(EnvironmentLock.isLive(lock().queue().get(0)));
        try (Held held = take("run-2")) {
            assertEquals(2, held.ticket().seq());
            assertEquals(List.of("run-2"), queued());
        }
    }

    @Test
    void aResumedRunTakesItsDeadTicketBackInItsOldPlace() throws Exception {
        Held first = take("run-1");
        List<Ticket> tickets = new ArrayList<>(lock().queue());
        tickets.add(ticket(2, "resumed", deadProcess(), null));
        writeQueue(3, tickets.toArray(Ticket[]::new));

        Waiter later = new Waiter("run-3", "deploy");
        assertEquals(1, later.next().ahead(), "the dead ticket does not count");
        Waiter resumed = new Waiter("resumed", "deploy");
        Waiting w = resumed.next();
        assertEquals("run-1", w.holder().runId());
        assertEquals(1, w.ahead());
        assertEquals(2, w.mine().seq());
        assertEquals(ME.pid(), w.mine().pid());
        assertEquals(2, later.next().ahead(), "the resumed run is ahead of it again");

        first.release();
        Held back = resumed.get();
        assertTrue(back.resumed());
        assertEquals(2, back.ticket().seq());
        assertEquals("resumed", later.next().holder().runId());
        back.release();
        later.get().release();
    }

    @Test
    void aResumedRunWhoseTicketStillHeadsTheQueueHoldsAtOnce() throws Exception {
        Instant since = T0.minusSeconds(900);
        writeQueue(5, ticket(4, "resumed", deadProcess(), since), ticket(5, "killed-too", deadProcess(), null));
        try (Held held = take("resumed")) {
            assertTrue(held.resumed());
            assertEquals(4, held.ticket().seq());
            assertEquals(since, held.ticket().acquiredAt(), "it has held the environment since before it died");
        }
    }

    @Test
    void aDeadTicketThatIsNeverResumedIsPassedOverAtTheFront() throws Exception {
        Held first = take("run-1");
        List<Ticket> tickets = new ArrayList<>(lock().queue());
        tickets.add(ticket(2, "gone", deadProcess(), null));
        writeQueue(3, tickets.toArray(Ticket[]::new));
        Waiter later = new Waiter("run-3", "deploy");
        later.next();
        first.release();
        try (Held held = later.get()) {
            assertEquals(3, held.ticket().seq());
            assertEquals(List.of("run-3"), queued());
        }
    }

    @Test
    void theSameStageOfARunCannotQueueTwice() throws Exception {
        try (Held held = take("run-1")) {
            assertFalse(held.resumed());
            IllegalStateException here = assertThrows(IllegalStateException.class, () -> take("run-1"));
            assertEquals("run run-1 (stage deploy) already holds or waits for the lock of production in this process",
                    here.getMessage());
            // Another stage of the same run is another ticket.
            Waiter other = new Waiter("run-1", "deploy_again");
            assertEquals(1, other.next().ahead());
            other.cancelled.set(true);
            assertThrows(ExecutionException.class, other::get);
        }
        ProcessHandle live = liveProcess();
        writeQueue(2, ticket(1, "run-1", live.pid(), live.info().startInstant().orElse(null), T0));
        EnvironmentLockException there = assertThrows(EnvironmentLockException.class, () -> take("run-1"));
        assertEquals("run run-1 (stage deploy) already holds the lock of production in pipe process " + live.pid()
                + "; stop that process first.", there.getMessage());
        assertEquals(List.of("run-1"), queued());
        assertEquals(live.pid(), lock().holder().orElseThrow().pid());
    }

    @Test
    void aDamagedQueueIsReportedWithWhatToDo() throws Exception {
        EnvironmentDir env = EnvironmentDir.of(state, "production");
        Files.createDirectories(env.lockDir());
        Files.writeString(env.queue(), "{\"next_seq\":");
        EnvironmentLockException e = assertThrows(EnvironmentLockException.class, () -> take("run-1"));
        assertTrue(e.getMessage().startsWith("the lock queue " + env.queue() + " is damaged ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); delete it once no run is deploying to production."), e.getMessage());
    }

    @Test
    void aWaitingRunIsToldOnlyWhenSomethingChanges() throws Exception {
        Held first = take("run-1");
        Waiter second = new Waiter("run-2", "deploy");
        second.next();
        // Many polls later, still nothing new to tell.
        for (int i = 0; i < 20; i++) {
            assertNull(second.told.poll(5, TimeUnit.MILLISECONDS));
        }
        first.release();
        second.get().release();
    }
}
