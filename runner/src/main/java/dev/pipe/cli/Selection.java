package dev.pipe.cli;

import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.lang.diag.Suggest;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `--only STAGE...` and `--from STAGE`: which stage instances a run leaves out. A name is a stage
 * as declared (all its matrix instances) or one instance such as {@code test[node=18]}. Stages
 * that need a left-out stage run without it.
 */
final class Selection {
    private Selection() {
    }

    /** Left-out instance → the sentence that says why; empty when everything runs. */
    static Map<String, String> leftOut(Plan plan, List<String> only, String from) {
        if ((only == null || only.isEmpty()) && from == null) {
            return Map.of();
        }
        if (only != null && !only.isEmpty() && from != null) {
            throw CliException.usage("--only and --from cannot be used together");
        }
        Set<String> names = new LinkedHashSet<>();
        for (PlanStage s : plan.stages()) {
            names.add(s.stage());
            names.add(s.name());
        }
        Set<String> chosen = new LinkedHashSet<>();
        if (from != null) {
            check(from, names);
            // The stage and everything that needs it, directly or not.
            chosen.add(from);
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
            while (!queue.isEmpty()) {
                String s = queue.poll();
                for (PlanStage p : plan.stages()) {
                    if (p.needs().contains(s) && chosen.add(p.stage())) {
                        queue.add(p.stage());
                    }
                }
            }
        } else {
            for (String name : only) {
                for (String part : name.split(",")) {
                    String n = part.strip();
                    check(n, names);
                    chosen.add(n);
                }
            }
        }
        String why = from != null ? "not selected: the run starts from `" + from + "`"
                : "not selected by --only";
        Map<String, String> out = new LinkedHashMap<>();
        for (PlanStage s : plan.stages()) {
            if (!chosen.contains(s.stage()) && !chosen.contains(s.name())) {
                out.put(s.name(), why);
            }
        }
        return out;
    }

    private static void check(String name, Set<String> names) {
        if (!names.contains(name)) {
            String hint = Suggest.didYouMean(name, names);
            throw CliException.usage("`" + name + "` is not a stage of this pipeline" + (hint == null ? "" : "; " + hint));
        }
    }

    /** The plan as far as the selected stages go, for the checks of what this version can run. */
    static Plan selected(Plan plan, Map<String, String> leftOut) {
        return new Plan(plan.schema(), plan.pipeline(), plan.event(), plan.trigger(), plan.digest(), plan.problems(),
                plan.notes(), plan.stages().stream().filter(s -> !leftOut.containsKey(s.name())).toList(), plan.hooks());
    }
}
