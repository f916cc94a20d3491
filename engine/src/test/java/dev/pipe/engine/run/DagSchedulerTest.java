package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.DagScheduler.Node;
import dev.pipe.engine.run.DagScheduler.Outcome;
import dev.pipe.engine.run.DagScheduler.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ordering, parallelism and failure propagation with a recording fake runner: no processes. */
class DagSchedulerTest {
    /** Records start/end events; nodes named in {@code failing} fail, in {@code skipping} skip themselves. */
    static final class Recorder implements DagScheduler.NodeRunner, DagScheduler.Listener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Set<String> failing;
        final Set<String> skipping;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();

        Recorder(Set<String> failing, Set<String> skipping) {
            this.failing = failing;
            this.skipping = skipping;
        }

        @Override
        public Result run(Node node, Map<String, Result> needs) throws InterruptedException {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            events.add("run " + node.name());
            Thread.sleep(5);
            running.decrementAndGet();
            if (failing.contains(node.name())) {
                return new Result(Outcome.FAILED, "exit 1");
            }
            if (skipping.contains(node.name())) {
                return new Result(Outcome.SKIPPED, "when is false");
            }
            return Result.succeeded();
        }

        @Override
        public void finished(Node node, Result result) {
            events.add("end " + node.name() + " " + result.outcome());
        }
    }

    static Node node(String name, String... needs) {
        return new Node(name, List.of(needs), false);
    }

    static Map<String, Result> run(List<Node> nodes, int parallel, boolean failFast, Recorder r) throws Exception {
        return new DagScheduler(nodes, parallel, failFast).run(r, r, new Cancellation(), Map.of());
    }

    @Test
    void chainRunsInOrder() throws Exception {
        Recorder r = new Recorder(Set.of(), Set.of());
        run(List.of(node("a"), node("b", "a"), node("c", "b")), 4, true, r);
        assertEquals(List.of("run a", "end a SUCCEEDED", "run b", "end b SUCCEEDED", "run c", "end c SUCCEEDED"),
                r.events);
    }

    @Test
    void independentNodesReallyOverlap() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        DagScheduler.NodeRunner runner = (node, needs) -> {
            both.countDown();
            // Each waits for the other: this only finishes if both run at the same time.
            return both.await(10, TimeUnit.SECONDS) ? Result.succeeded() : new Result(Outcome.FAILED, "ran alone");
        };
        Map<String, Result> out = new DagScheduler(List.of(node("x"), node("y")), 2, true)
                .run(runner, new DagScheduler.Listener() {
                }, new Cancellation(), Map.of());
        assertEquals(Outcome.SUCCEEDED, out.get("x").outcome(), out::toString);
        assertEquals(Outcome.SUCCEEDED, out.get("y").outcome(), out::toString);
    }

    @Test
    void parallelLimitIsRespected() throws Exception {
        List<Node> wide = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            wide.add(node("n" + i));
        }
        Recorder r = new Recorder(Set.of(), Set.of());
        run(wide, 3, true, r);
        assertTrue(r.maxRunning.get() <= 3, "ran " + r.maxRunning.get() + " at once");
        assertTrue(r.maxRunning.get() >= 2, "never ran in parallel");
    }

    @Test
    void failFastSkipsDependantsAndStopsNewWork() throws Exception {
        Recorder r = new Recorder(Set.of("a"), Set.of());
        Map<String, Result> out = run(List.of(node("a"), node("b", "a"), node("c", "b")), 1, true, r);
        assertEquals(new Result(Outcome.FAILED, "exit 1"), out.get("a"));
        assertEquals(new Result(Outcome.SKIPPED, "needs `a`, which failed"), out.get("b"));
        assertEquals(new Result(Outcome.SKIPPED, "needs `b`, which was skipped"), out.get("c"));

        Recorder r2 = new Recorder(Set.of("a"), Set.of());
        Map<String, Result> out2 = run(List.of(node("a"), node("z")), 1, true, r2);
        assertEquals(new Result(Outcome.SKIPPED, "not started: the run stops after `a` failed"), out2.get("z"));
    }

    @Test
    void withoutFailFastIndependentWorkGoesOn() throws Exception {
        Recorder r = new Recorder(Set.of("a"), Set.of());
        Map<String, Result> out = run(List.of(node("a"), node("b", "a"), node("z")), 1, false, r);
        assertEquals(Outcome.SKIPPED, out.get("b").outcome());
        assertEquals(Outcome.SUCCEEDED, out.get("z").outcome());
    }

    @Test
    void allowedFailureLetsDependantsRun() throws Exception {
        Recorder r = new Recorder(Set.of("lint"), Set.of());
        Map<String, Result> out = run(List.of(new Node("lint", List.of(), true), node("test", "lint")), 2, true, r);
        assertEquals(Outcome.FAILED, out.get("lint").outcome());
        assertEquals(Outcome.SUCCEEDED, out.get("test").outcome());
    }

    @Test
    void aNodeThatSkipsItselfSkipsItsDependants() throws Exception {
        Recorder r = new Recorder(Set.of(), Set.of("deploy"));
        Map<String, Result> out = run(List.of(node("deploy"), node("smoke", "deploy")), 2, true, r);
        assertEquals(new Result(Outcome.SKIPPED, "when is false"), out.get("deploy"));
        assertEquals(new Result(Outcome.SKIPPED, "needs `deploy`, which was skipped"), out.get("smoke"));
        assertTrue(!r.events.contains("run smoke"));
    }

    @Test
    void cancellationStopsPendingWork() throws Exception {
        Cancellation cancel = new Cancellation();
        DagScheduler.NodeRunner runner = (node, needs) -> {
            cancel.cancel("Ctrl-C");
            return new Result(Outcome.CANCELLED, "cancelled while running");
        };
        Map<String, Result> out = new DagScheduler(List.of(node("a"), node("b", "a"), node("c")), 1, true)
                .run(runner, new DagScheduler.Listener() {
                }, cancel, Map.of());
        assertEquals(Outcome.CANCELLED, out.get("a").outcome());
        assertEquals(new Result(Outcome.CANCELLED, "needs `a`, which was cancelled"), out.get("b"));
        assertEquals(new Result(Outcome.CANCELLED, "not started: the run was cancelled: Ctrl-C"), out.get("c"));
    }

    @Test
    void resumedNodesAreNotRunAgain() throws Exception {
        Recorder r = new Recorder(Set.of(), Set.of());
        Map<String, Result> out = new DagScheduler(List.of(node("a"), node("b", "a")), 2, true)
                .run(r, r, new Cancellation(), Map.of("a", Result.succeeded()));
        assertEquals(List.of("run b", "end b SUCCEEDED"), r.events);
        assertEquals(Outcome.SUCCEEDED, out.get("a").outcome());
    }

    @Test
    void diamondJoinsOnce() throws Exception {
        Recorder r = new Recorder(Set.of(), Set.of());
        run(List.of(node("top"), node("l", "top"), node("r", "top"), node("bottom", "l", "r")), 4, true, r);
        assertEquals(1, r.events.stream().filter("run bottom"::equals).count());
        assertTrue(r.events.indexOf("run bottom") > r.events.indexOf("end l SUCCEEDED"));
        assertTrue(r.events.indexOf("run bottom") > r.events.indexOf("end r SUCCEEDED"));
    }

    @Test
    void badGraphsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DagScheduler(List.of(node("a", "b"), node("b", "a")), 1, true));
        assertThrows(IllegalArgumentException.class, () -> new DagScheduler(List.of(node("a", "nope")), 1, true));
        assertThrows(IllegalArgumentException.class, () -> new DagScheduler(List.of(node("a"), node("a")), 1, true));
        assertThrows(IllegalArgumentException.class, () -> new DagScheduler(List.of(node("a")), 0, true));
    }

    @Test
    void aChainRunsOnOneWorkerThreadWithoutHandOffs() throws Exception {
        Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Node> chain = List.of(node("a"), node("b", "a"), node("c", "b"), node("d", "c"));
        new DagScheduler(chain, 2, true).run((node, needs) -> {
            threads.add(Thread.currentThread());
            return Result.succeeded();
        }, new DagScheduler.Listener() {
        }, new Cancellation(), Map.of());
        assertEquals(1, threads.size(), "the worker that ends a node runs the next one itself");
        assertTrue(!threads.contains(Thread.currentThread()), "nodes never run on the calling thread");
    }

    @Test
    void whatTheListenerThrowsComesOutOfRunAndNothingStartsAfterIt() {
        Recorder r = new Recorder(Set.of(), Set.of());
        DagScheduler.Listener failing = new DagScheduler.Listener() {
            @Override
            public void finished(Node node, Result result) {
                if (node.name().equals("a")) {
                    throw new IllegalStateException("the journal is gone");
                }
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new DagScheduler(List.of(node("a"), node("b", "a"), node("c", "b")), 1, true)
                        .run(r, failing, new Cancellation(), Map.of()));
        assertEquals("the journal is gone", e.getMessage());
        assertEquals(List.of("run a"), r.events);
    }

    @Test
    void tenThousandNodeChainDoesNotOverflow() throws Exception {
        List<Node> chain = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            chain.add(i == 0 ? node("s0") : node("s" + i, "s" + (i - 1)));
        }
        Map<String, Result> out = new DagScheduler(chain, 2, true)
                .run((node, needs) -> Result.succeeded(), new DagScheduler.Listener() {
                }, new Cancellation(), Map.of());
        assertTrue(out.values().stream().allMatch(res -> res.outcome() == Outcome.SUCCEEDED));
    }
}
