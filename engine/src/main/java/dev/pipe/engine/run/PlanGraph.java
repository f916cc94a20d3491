package dev.pipe.engine.run;

import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of a plan: one node per stage instance. A stage that needs a matrix stage
 * needs every one of its instances ({@code deploy} after {@code test[node=18]} and {@code test[node=20]}).
 */
public final class PlanGraph {
    private PlanGraph() {
    }

    public static List<DagScheduler.Node> nodes(Plan plan) {
        Map<String, List<String>> instances = new LinkedHashMap<>();
        for (PlanStage s : plan.stages()) {
            instances.computeIfAbsent(s.stage(), k -> new ArrayList<>()).add(s.name());
        }
        List<DagScheduler.Node> nodes = new ArrayList<>();
        for (PlanStage s : plan.stages()) {
            List<String> needs = new ArrayList<>();
            for (String need : s.needs()) {
                needs.addAll(instances.getOrDefault(need, List.of()));
            }
            nodes.add(new DagScheduler.Node(s.name(), needs, s.allowFailure()));
        }
        return nodes;
    }
}
