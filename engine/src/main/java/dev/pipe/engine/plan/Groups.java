package dev.pipe.engine.plan;

import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Stage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parallel groups of the stage DAG: a stage without needs is in group 1, any other stage is one
 * group after its latest need. Stages of one group do not depend on each other.
 */
final class Groups {
    private Groups() {
    }

    /**
     * @return group (1-based) per stage name, in declaration order
     * @throws IllegalArgumentException on a cycle or an unknown need, which the checker reports first
     */
    static Map<String, Integer> of(List<Stage> stages) {
        Map<String, Stage> byName = new LinkedHashMap<>();
        for (Stage s : stages) {
            byName.putIfAbsent(s.name().name(), s);
        }
        Map<String, Integer> group = new HashMap<>();
        for (String name : byName.keySet()) {
            resolve(name, byName, group);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String name : byName.keySet()) {
            ordered.put(name, group.get(name));
        }
        return ordered;
    }

    /** Iterative depth-first walk, so that a 10,000-stage chain does not overflow the stack. */
    private static void resolve(String start, Map<String, Stage> byName, Map<String, Integer> group) {
        if (group.containsKey(start)) {
            return;
        }
        Deque<String> stack = new ArrayDeque<>();
        Map<String, Boolean> onStack = new HashMap<>();
        stack.push(start);
        onStack.put(start, true);
        while (!stack.isEmpty()) {
            String name = stack.peek();
            int max = 0;
            String pending = null;
            for (Ident need : byName.get(name).needsList()) {
                String n = need.name();
                if (!byName.containsKey(n)) {
                    throw new IllegalArgumentException("stage `" + name + "` needs `" + n
                            + "`, which does not exist; check the pipeline before planning it");
                }
                Integer g = group.get(n);
                if (g == null) {
                    if (Boolean.TRUE.equals(onStack.get(n))) {
                        throw new IllegalArgumentException("stages `" + name + "` and `" + n
                                + "` need each other; check the pipeline before planning it");
                    }
                    pending = n;
                    break;
                }
                max = Math.max(max, g);
            }
            if (pending != null) {
                stack.push(pending);
                onStack.put(pending, true);
            } else {
                stack.pop();
                onStack.put(name, false);
                group.put(name, max + 1);
            }
        }
    }
}
