package dev.pipe.engine.plan;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.Value;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Matrix expansion: the cartesian product of the axes, the first axis varying slowest. */
final class Matrix {
    private Matrix() {
    }

    /**
     * @return one map of axis values per instance, axes in declared order; a single empty map
     *     without a matrix; no maps at all when an axis has no values
     */
    static List<Map<String, Value>> expand(Stage.Matrix matrix, Evaluator eval) {
        List<Map<String, Value>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        if (matrix == null) {
            return combos;
        }
        for (Stage.Axis axis : matrix.axes()) {
            List<Map<String, Value>> next = new ArrayList<>();
            for (Map<String, Value> combo : combos) {
                for (Expr e : axis.values()) {
                    Map<String, Value> more = new LinkedHashMap<>(combo);
                    Result r = eval.evaluate(e);
                    more.put(axis.name().name(), r instanceof Result.Known k ? k.value() : new Value.Str(r.display()));
                    next.add(more);
                }
            }
            combos = next;
        }
        return combos;
    }

    /** {@code test[node=18,os=linux]}, or just the stage name without a matrix. */
    static String instanceName(String stage, Map<String, String> values) {
        if (values.isEmpty()) {
            return stage;
        }
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", stage + "[", "]"));
    }

    /** The axes without values, which leave a stage with no instances. */
    static List<String> emptyAxes(Stage.Matrix matrix) {
        return matrix == null ? List.of()
                : matrix.axes().stream().filter(a -> a.values().isEmpty()).map(a -> a.name().name()).toList();
    }
}
