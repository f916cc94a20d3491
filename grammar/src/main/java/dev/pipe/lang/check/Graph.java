package dev.pipe.lang.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A directed graph over nodes {@code 0..n-1} (an edge points from a stage to a stage it needs).
 * Every walk is iterative so that a chain of ten thousand stages cannot overflow the stack.
 */
final class Graph {
    private final int[][] edges;
    private final Map<Integer, BitSet> reachable = new HashMap<>();

    Graph(int[][] edges) {
        this.edges = edges;
    }

    int size() {
        return edges.length;
    }

    int[] successors(int node) {
        return edges[node];
    }

    /** Strongly connected components of more than one node (Tarjan), each sorted, in order of their first node. */
    List<int[]> cycles() {
        int n = edges.length;
        int[] index = new int[n];
        int[] low = new int[n];
        Arrays.fill(index, -1);
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int top = 0;
        int[] call = new int[n];
        int[] next = new int[n];
        int counter = 0;
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            if (index[s] >= 0) {
                continue;
            }
            int sp = 0;
            call[0] = s;
            next[0] = 0;
            index[s] = low[s] = counter++;
            stack[top++] = s;
            onStack[s] = true;
            while (sp >= 0) {
                int v = call[sp];
                if (next[sp] < edges[v].length) {
                    int w = edges[v][next[sp]++];
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[top++] = w;
                        onStack[w] = true;
                        sp++;
                        call[sp] = w;
                        next[sp] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int start = top;
                    do {
                        start--;
                        onStack[stack[start]] = false;
                    } while (stack[start] != v);
                    if (top - start > 1) {
                        int[] component = Arrays.copyOfRange(stack, start, top);
                        Arrays.sort(component);
                        out.add(component);
                    }
                    top = start;
                }
                sp--;
                if (sp >= 0) {
                    int u = call[sp];
                    low[u] = Math.min(low[u], low[v]);
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }

    /** A shortest cycle from {@code start} back to it through the nodes of {@code component}: [start, ..., start]. */
    List<Integer> cycleThrough(int start, int[] component) {
        BitSet inside = new BitSet(edges.length);
        for (int c : component) {
            inside.set(c);
        }
        Map<Integer, Integer> parent = new HashMap<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        parent.put(start, -1);
        int last = -1;
        while (!queue.isEmpty() && last < 0) {
            int v = queue.poll();
            for (int w : edges[v]) {
                if (w == start) {
                    last = v;
                    break;
                }
                if (inside.get(w) && !parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        List<Integer> path = new ArrayList<>();
        path.add(start);
        for (int v = last; v >= 0 && v != start; v = parent.get(v)) {
            path.add(1, v);
        }
        path.add(start);
        return path;
    }

    /**
     * Nodes in an order where every node comes after all nodes it points to (needed stages first).
     * Nodes on a cycle, or pointing into one, are left out.
     */
    int[] order() {
        int n = edges.length;
        int[] pending = new int[n];
        int[][] reverse = reverse();
        int[] out = new int[n];
        int head = 0;
        int tail = 0;
        for (int v = 0; v < n; v++) {
            pending[v] = edges[v].length;
            if (pending[v] == 0) {
                out[tail++] = v;
            }
        }
        while (head < tail) {
            int v = out[head++];
            for (int u : reverse[v]) {
                if (--pending[u] == 0) {
                    out[tail++] = u;
                }
            }
        }
        return Arrays.copyOf(out, tail);
    }

    /** Whether {@code target} can be reached from {@code from} by one or more edges. */
    boolean reaches(int from, int target) {
        for (int w : edges[from]) {
            if (w == target) {
                return true;
            }
        }
        return reachable.computeIfAbsent(from, this::walk).get(target);
    }

    private BitSet walk(int from) {
        BitSet seen = new BitSet(edges.length);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int w : edges[v]) {
                if (!seen.get(w)) {
                    seen.set(w);
                    queue.add(w);
                }
            }
        }
        return seen;
    }

    private int[][] reverse() {
        int n = edges.length;
        int[] count = new int[n];
        for (int[] targets : edges) {
            for (int w : targets) {
                count[w]++;
            }
        }
        int[][] rev = new int[n][];
        for (int v = 0; v < n; v++) {
            rev[v] = new int[count[v]];
        }
        int[] fill = new int[n];
        for (int v = 0; v < n; v++) {
            for (int w : edges[v]) {
                rev[w][fill[w]++] = v;
            }
        }
        return rev;
    }
}
