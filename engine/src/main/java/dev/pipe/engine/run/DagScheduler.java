package dev.pipe.engine.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a DAG of nodes (stage instances) on virtual threads: a node starts when all its needs
 * have finished, at most {@code parallel} at a time, ready nodes in declaration order.
 *
 * <p>All bookkeeping is done under one lock, by the calling thread for the first nodes and then
 * by the worker that ends a node, which goes on to run a node that became ready (see
 * {@code Execution}), so there are no races on it. Rules:
 * <ul>
 *   <li>A node whose need failed (and does not allow failure) or was skipped is skipped, with
 *       the reason naming that need.</li>
 *   <li>Fail-fast (the default): after a failure no new node starts; nodes already running
 *       finish, and the rest are skipped with the reason naming the failure.</li>
 *   <li>Cancellation: no new node starts, running nodes see the cancel through the
 *       {@link Cancellation} they share, and pending nodes end as cancelled.</li>
 *   <li>Nodes given as already finished (a resumed run) are not run again.</li>
 * </ul>
 */
public final class DagScheduler {
    public record Node(String name, List<String> needs, boolean allowFailure) {
        public Node {
            needs = List.copyOf(needs);
        }
    }

    public enum Outcome {
        SUCCEEDED, FAILED, SKIPPED, CANCELLED,
        /** Left out by the user ({@code --only}, {@code --from}): the nodes that need it go ahead without it. */
        NOT_SELECTED,
        /**
         * Paused at an approval gate nobody can pass now; the nodes that need it wait too. Other
         * nodes go on. The run pauses once nothing runs, and a resume runs these nodes again.
         */
        WAITING
    }

    public record Result(Outcome outcome, String reason) {
        public static Result succeeded() {
            return new Result(Outcome.SUCCEEDED, null);
        }
    }

    /** Runs one node; may return SKIPPED itself (a condition decided when the node became ready). */
    @FunctionalInterface
    public interface NodeRunner {
        Result run(Node node, Map<String, Result> needs) throws InterruptedException;
    }

    /**
     * Told of every change before the scheduler acts on it, one at a time and in order (under the
     * scheduler's lock), on the calling thread or on the worker thread of the node that ended.
     */
    public interface Listener {
        default void started(Node node) {
        }

        default void finished(Node node, Result result) {
        }
    }

    private final List<Node> nodes;
    private final Map<String, Integer> index = new HashMap<>();
    private final int parallel;
    private final boolean failFast;

    public DagScheduler(List<Node> nodes, int parallel, boolean failFast) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, not " + parallel);
        }
        this.nodes = List.copyOf(nodes);
        this.parallel = parallel;
        this.failFast = failFast;
        for (int i = 0; i < this.nodes.size(); i++) {
            if (index.put(this.nodes.get(i).name(), i) != null) {
                throw new IllegalArgumentException("node `" + this.nodes.get(i).name() + "` appears twice");
            }
        }
        for (Node n : this.nodes) {
            for (String need : n.needs()) {
                if (!index.containsKey(need)) {
                    throw new IllegalArgumentException("node `" + n.name() + "` needs unknown node `" + need + "`");
                }
            }
        }
        refuseCycles();
    }

    /** Kahn's algorithm: a cycle would leave nodes that never become ready. */
    private void refuseCycles() {
        int[] waiting = new int[nodes.size()];
        List<List<Integer>> dependants = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            dependants.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (String need : nodes.get(i).needs()) {
                dependants.get(index.get(need)).add(i);
                waiting[i]++;
            }
        }
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (waiting[i] == 0) {
                queue.add(i);
            }
        }
        int seen = 0;
        while (!queue.isEmpty()) {
            int i = queue.poll();
            seen++;
            for (int d : dependants.get(i)) {
                if (--waiting[d] == 0) {
                    queue.add(d);
                }
            }
        }
        if (seen != nodes.size()) {
            throw new IllegalArgumentException("the nodes' needs form a cycle");
        }
    }

    /**
     * Runs every node not in {@code alreadyFinished} and returns the result of each node, in
     * declaration order. Returns when nothing is running any more.
     *
     * @throws RuntimeException what the listener threw: no node starts after that, and the call
     *     returns once the nodes running then have ended
     */
    public Map<String, Result> run(NodeRunner runner, Listener listener, Cancellation cancel,
            Map<String, Result> alreadyFinished) throws InterruptedException {
        Execution execution;
        // Closing the executor waits for the workers: after a failure or an interrupt, for the
        // nodes that were running then.
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            execution = new Execution(runner, listener, cancel, workers);
            execution.begin(alreadyFinished);
            execution.await();
        }
        return execution.results();
    }

    /**
     * One call of {@link #run}. Its state is guarded by {@code lock}, and every change is made by
     * whoever holds it: the calling thread starts the first nodes, and then a worker that ends a
     * node settles it itself (journals it through the listener, releases its dependants, starts
     * what became ready) and goes on to run the next ready node on its own thread. So a chain of
     * nodes runs on one thread without a hand-off between threads per node; a hand-off to a
     * coordinator thread and back cost two thread wake-ups per node. The calling thread only
     * waits for the end.
     */
    private final class Execution {
        private final NodeRunner runner;
        private final Listener listener;
        private final Cancellation cancel;
        private final ExecutorService workers;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition over = lock.newCondition();

        private final Result[] results = new Result[nodes.size()];
        private final int[] waiting = new int[nodes.size()];
        private final List<List<Integer>> dependants = new ArrayList<>();
        private final PriorityQueue<Integer> ready = new PriorityQueue<>();
        private String stopReason;
        private int running;
        private int finished;
        /** What the listener threw: nothing is recorded or started any more. */
        private RuntimeException failure;
        /** The caller was interrupted: nothing is recorded or started any more. */
        private boolean abandoned;

        Execution(NodeRunner runner, Listener listener, Cancellation cancel, ExecutorService workers) {
            this.runner = runner;
            this.listener = listener;
            this.cancel = cancel;
            this.workers = workers;
            for (int i = 0; i < nodes.size(); i++) {
                dependants.add(new ArrayList<>());
            }
            for (int i = 0; i < nodes.size(); i++) {
                for (String need : nodes.get(i).needs()) {
                    dependants.get(index.get(need)).add(i);
                    waiting[i]++;
                }
            }
        }

        /** Settles the resumed nodes and starts the first ones, on the calling thread. */
        void begin(Map<String, Result> alreadyFinished) {
            lock.lock();
            try {
                // Resumed nodes count as finished before anything starts.
                List<Integer> settled = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    Result prior = alreadyFinished.get(nodes.get(i).name());
                    if (prior != null) {
                        results[i] = prior;
                        settled.add(i);
                    }
                }
                for (int i = 0; i < nodes.size(); i++) {
                    if (waiting[i] == 0 && results[i] == null) {
                        ready.add(i);
                    }
                }
                for (int i : settled) {
                    finished++;
                    release(i, results, waiting, dependants, ready);
                }
                for (int i : startReady()) {
                    workers.submit(() -> work(i));
                }
            } finally {
                lock.unlock();
            }
        }

        /** Waits until every node has finished, or the listener failed. */
        void await() throws InterruptedException {
            lock.lock();
            try {
                while (finished < nodes.size() && failure == null) {
                    over.await();
                }
                if (failure != null) {
                    throw failure;
                }
            } catch (InterruptedException e) {
                // Running nodes end on their own; none starts any more.
                abandoned = true;
                throw e;
            } finally {
                lock.unlock();
            }
        }

        Map<String, Result> results() {
            lock.lock();
            try {
                Map<String, Result> out = new LinkedHashMap<>();
                for (int i = 0; i < nodes.size(); i++) {
                    out.put(nodes.get(i).name(), results[i]);
                }
                return out;
            } finally {
                lock.unlock();
            }
        }

        /** A worker: runs the node, settles it, and goes on with a node that became ready, if any. */
        private void work(int first) {
            int next = first;
            while (next >= 0) {
                Result result = runOne(next);
                lock.lock();
                try {
                    next = settle(next, result);
                } finally {
                    lock.unlock();
                }
            }
        }

        private Result runOne(int i) {
            Node node = nodes.get(i);
            Map<String, Result> needs = new LinkedHashMap<>();
            lock.lock();
            try {
                for (String need : node.needs()) {
                    needs.put(need, results[index.get(need)]);
                }
            } finally {
                lock.unlock();
            }
            Result r;
            try {
                r = runner.run(node, needs);
            } catch (InterruptedException e) {
                r = new Result(Outcome.CANCELLED, "interrupted");
            } catch (RuntimeException e) {
                r = new Result(Outcome.FAILED, "pipe could not run it: " + e.getMessage());
            }
            return r == null ? Result.succeeded() : r;
        }

        /**
         * Records that node {@code i} ended, and starts what that makes ready. Returns one node
         * for the calling worker to run next (the others get threads of their own), or -1.
         * Call with the lock held.
         */
        private int settle(int i, Result result) {
            running--;
            if (failure != null || abandoned) {
                // run() is on its way out: nothing is recorded or started any more.
                return -1;
            }
            finished++;
            results[i] = result;
            Node node = nodes.get(i);
            List<Integer> started;
            try {
                listener.finished(node, result);
                if (result.outcome() == Outcome.FAILED && !node.allowFailure() && failFast && stopReason == null) {
                    stopReason = "the run stops after `" + node.name() + "` failed";
                }
                release(i, results, waiting, dependants, ready);
                started = startReady();
            } catch (RuntimeException e) {
                failure = e;
                over.signalAll();
                return -1;
            }
            if (finished == nodes.size()) {
                over.signalAll();
            }
            for (int k = 1; k < started.size(); k++) {
                int other = started.get(k);
                workers.submit(() -> work(other));
            }
            return started.isEmpty() ? -1 : started.get(0);
        }

        /**
         * Starts ready nodes while there is room (settling the ones that cannot start: a need
         * failed or the run stops) and returns the started ones, whose runs are the caller's to
         * hand to threads. Call with the lock held.
         */
        private List<Integer> startReady() {
            if (stopReason == null && cancel.isCancelled()) {
                stopReason = "the run was cancelled: " + cancel.reason();
            }
            List<Integer> started = new ArrayList<>();
            while (!ready.isEmpty() && (stopReason != null || running < parallel)) {
                int i = ready.poll();
                Node node = nodes.get(i);
                Result blocked = blockedBy(node, results);
                if (blocked == null && stopReason != null) {
                    blocked = new Result(cancel.isCancelled() ? Outcome.CANCELLED : Outcome.SKIPPED,
                            "not started: " + stopReason);
                }
                if (blocked != null) {
                    results[i] = blocked;
                    listener.finished(node, blocked);
                    finished++;
                    release(i, results, waiting, dependants, ready);
                    continue;
                }
                listener.started(node);
                running++;
                started.add(i);
            }
            if (finished == nodes.size()) {
                over.signalAll();
            }
            return started;
        }
    }

    private void release(int i, Result[] results, int[] waiting, List<List<Integer>> dependants,
            PriorityQueue<Integer> ready) {
        for (int d : dependants.get(i)) {
            if (--waiting[d] == 0 && results[d] == null) {
                ready.add(d);
            }
        }
    }

    /** Why a node cannot start because of one of its needs, or null. */
    private Result blockedBy(Node node, Result[] results) {
        for (String need : node.needs()) {
            Result r = results[index.get(need)];
            Node needNode = nodes.get(index.get(need));
            switch (r.outcome()) {
                case FAILED -> {
                    if (!needNode.allowFailure()) {
                        return new Result(Outcome.SKIPPED, "needs `" + need + "`, which failed");
                    }
                }
                case SKIPPED -> {
                    return new Result(Outcome.SKIPPED, "needs `" + need + "`, which was skipped");
                }
                case CANCELLED -> {
                    return new Result(Outcome.CANCELLED, "needs `" + need + "`, which was cancelled");
                }
                case WAITING -> {
                    return new Result(Outcome.WAITING, "needs `" + need + "`, which waits for approval");
                }
                case SUCCEEDED, NOT_SELECTED -> {
                }
            }
        }
        return null;
    }
}
