package dev.pipe.engine.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Aho–Corasick automaton over chars: fed one char at a time, it reports the longest pattern
 * ending at that char, so every pattern occurrence is found in one pass over the text whatever
 * the number of patterns. State 0 is the start; the state carries over between chunks.
 */
final class AhoCorasick {
    private static final int ROOT = 0;
    /** Nodes this shallow get a full ASCII transition row: output text keeps the automaton there. */
    private static final int DENSE_DEPTH = 3;
    private static final int ASCII = 128;

    private final int[] rootNext = new int[Character.MAX_VALUE + 1];
    // Children of node n: keys[first[n] .. first[n] + count[n]) sorted, with targets alongside.
    private final int[] first;
    private final int[] count;
    private final char[] keys;
    private final int[] targets;
    private final int[] fail;
    private final int[] longest;
    private final int[] denseRow;
    private final int[] dense;
    private final int maxLength;
    private final boolean newlineInPattern;

    AhoCorasick(Collection<String> patterns) {
        List<Map<Character, Integer>> trie = new ArrayList<>();
        List<Integer> depth = new ArrayList<>();
        trie.add(new HashMap<>());
        depth.add(0);
        int max = 0;
        boolean newline = false;
        List<Integer> ends = new ArrayList<>();
        for (String p : patterns) {
            if (p.isEmpty()) {
                continue;
            }
            int node = ROOT;
            for (int i = 0; i < p.length(); i++) {
                Integer next = trie.get(node).get(p.charAt(i));
                if (next == null) {
                    next = trie.size();
                    trie.add(new HashMap<>());
                    depth.add(depth.get(node) + 1);
                    trie.get(node).put(p.charAt(i), next);
                }
                node = next;
            }
            ends.add(node);
            max = Math.max(max, p.length());
            newline |= p.indexOf('\n') >= 0;
        }
        int n = trie.size();
        maxLength = max;
        newlineInPattern = newline;
        first = new int[n];
        count = new int[n];
        int edges = trie.stream().mapToInt(Map::size).sum();
        keys = new char[edges];
        targets = new int[edges];
        int at = 0;
        for (int node = 0; node < n; node++) {
            Character[] cs = trie.get(node).keySet().toArray(new Character[0]);
            Arrays.sort(cs);
            first[node] = at;
            count[node] = cs.length;
            for (Character c : cs) {
                keys[at] = c;
                targets[at++] = trie.get(node).get(c);
            }
        }
        longest = new int[n];
        for (int end : ends) {
            longest[end] = depth.get(end);
        }
        fail = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int e = first[ROOT]; e < first[ROOT] + count[ROOT]; e++) {
            rootNext[keys[e]] = targets[e];
            queue.add(targets[e]);
        }
        // Breadth first, so a node's failure target (a shorter string) is finished before it.
        while (!queue.isEmpty()) {
            int node = queue.poll();
            longest[node] = Math.max(longest[node], longest[fail[node]]);
            for (int e = first[node]; e < first[node] + count[node]; e++) {
                int child = targets[e];
                fail[child] = next(fail[node], keys[e]);
                queue.add(child);
            }
        }
        denseRow = new int[n];
        int rows = 0;
        for (int node = 0; node < n; node++) {
            denseRow[node] = depth.get(node) <= DENSE_DEPTH ? rows++ : -1;
        }
        int[] table = new int[rows * ASCII];
        for (int node = 0; node < n; node++) {
            if (denseRow[node] >= 0) {
                for (char c = 0; c < ASCII; c++) {
                    table[denseRow[node] * ASCII + c] = next(node, c);
                }
            }
        }
        dense = table;
    }

    int step(int state, char c) {
        int row = denseRow[state];
        return row >= 0 && c < ASCII ? dense[row * ASCII + c] : next(state, c);
    }

    private int next(int state, char c) {
        int node = state;
        while (node != ROOT) {
            int lo = first[node];
            int hi = lo + count[node] - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                char k = keys[mid];
                if (k < c) {
                    lo = mid + 1;
                } else if (k > c) {
                    hi = mid - 1;
                } else {
                    return targets[mid];
                }
            }
            node = fail[node];
        }
        return rootNext[c];
    }

    /** The length of the longest pattern that ends where {@code state} was reached, or 0. */
    int longestMatch(int state) {
        return longest[state];
    }

    int maxLength() {
        return maxLength;
    }

    boolean newlineInPattern() {
        return newlineInPattern;
    }

    boolean isEmpty() {
        return maxLength == 0;
    }
}
