package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.TUESDAY_10_NY;
import static dev.pipe.engine.plan.Plans.plan;
import static dev.pipe.engine.plan.Plans.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the planner does with the facts the runner read from git: describe, and why facts are unknown. */
class GitFactsPlanningTest {
    private static final String DEPLOYS = """
            pipeline d
            on push paths ["src/**"]
            environment production { }
            stage ship {
              deploy to production
              step "s" { sh "ship ${version} ${git.sha}" }
            }
            """;

    @Test
    void aDeploymentWithoutVersionDeploysTheDescribedCommit() {
        Plan p = plan(DEPLOYS, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .sha("1a2b3c4d5e6f").gitDescribe("v1.4.0-2-g1a2b3c4").changed(List.of("src/a")).build());
        PlanStage ship = stage(p, "ship");
        assertEquals("v1.4.0-2-g1a2b3c4", ship.deploy().version());
        assertEquals("ship v1.4.0-2-g1a2b3c4 1a2b3c4d5e6f", ship.steps().get(0).command());
    }

    @Test
    void unknownFactsSayWhy() {
        Plan p = plan(DEPLOYS, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .gitUnknown("the pipeline is not in a git repository")
                .changedUnknown("this is a shallow clone and the commit before 1a2b3c4 was not fetched").build());
        assertTrue(p.notes().contains("the changed files are not known (this is a shallow clone and the commit before"
                + " 1a2b3c4 was not fetched), so the paths filter of `on push` at line 2 was not applied;"
                + " pass --changed PATH to apply it"), p.notes()::toString);
        assertTrue(p.notes().contains("the commit's facts are not known (the pipeline is not in a git repository):"
                + " git.* values not given as options, such as --sha, stay unknown"), p.notes()::toString);
        PlanStage ship = stage(p, "ship");
        assertNull(ship.deploy().version());
    }
}
