package dev.pipe.engine.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a DAG of nodes (stage instances) on virtual threads: a node starts when all its needs
 * have finished, at most {@code parallel} at a time, ready nodes in declaration order.
 *
 * <p>One coordinator (the calling thread) owns all state; workers only report completions to
 * it, so there are no races on the bookkeeping. Rules:
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
        NOT_SELECTED
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

    /** Told of every change, on the coordinator thread, before the scheduler acts on it. */
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

    private record Done(int node, Result result) {
    }

    /**
     * Runs every node not in {@code alreadyFinished} and returns the result of each node, in
     * declaration order. Returns when nothing is running any more.
     */
    public Map<String, Result> run(NodeRunner runner, Listener listener, Cancellation cancel,
            Map<String, Result> alreadyFinished) throws InterruptedException {
        int n = nodes.size();
        Result[] results = new Result[n];
        int[] waiting = new int[n];
        List<List<Integer>> dependants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependants.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (String need : nodes.get(i).needs()) {
                dependants.get(index.get(need)).add(i);
                waiting[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        BlockingQueue<Done> completions = new LinkedBlockingQueue<>();
        String stopReason = null;
        int running = 0;
        int finished = 0;
        // Resumed nodes count as finished before anything starts.
        List<Integer> settled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Result prior = alreadyFinished.get(nodes.get(i).name());
            if (prior != null) {
                results[i] = prior;
                settled.add(i);
            }
        }
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0 && results[i] == null) {
                ready.add(i);
            }
        }
        for (int i : settled) {
            finished++;
            release(i, results, waiting, dependants, ready);
        }
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            while (finished < n) {
                if (stopReason == null && cancel.isCancelled()) {
                    stopReason = "the run was cancelled: " + cancel.reason();
                }
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
                    Map<String, Result> needs = new LinkedHashMap<>();
                    for (String need : node.needs()) {
                        needs.put(need, results[index.get(need)]);
                    }
                    listener.started(node);
                    running++;
                    workers.submit(() -> {
                        Result r;
                        try {
                            r = runner.run(node, needs);
                        } catch (InterruptedException e) {
                            r = new Result(Outcome.CANCELLED, "interrupted");
                        } catch (RuntimeException e) {
                            r = new Result(Outcome.FAILED, "pipe could not run it: " + e.getMessage());
                        }
                        completions.add(new Done(i, r == null ? Result.succeeded() : r));
                    });
                }
                if (finished == n) {
                    break;
                }
                Done done = completions.take();
                running--;
                finished++;
                results[done.node()] = done.result();
                Node node = nodes.get(done.node());
                listener.finished(node, done.result());
                if (done.result().outcome() == Outcome.FAILED && !node.allowFailure() && failFast && stopReason == null) {
                    stopReason = "the run stops after `" + node.name() + "` failed";
                }
                release(done.node(), results, waiting, dependants, ready);
            }
        }
        Map<String, Result> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(nodes.get(i).name(), results[i]);
        }
        return out;
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
                case SUCCEEDED, NOT_SELECTED -> {
                }
            }
        }
        return null;
    }
}
