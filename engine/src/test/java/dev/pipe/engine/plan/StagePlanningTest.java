package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.plan;
import static dev.pipe.engine.plan.Plans.push;
import static dev.pipe.engine.plan.Plans.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matrix expansion, conditions, skip propagation and parallel groups. */
class StagePlanningTest {
    @Test
    void matrixExpandsToTheCartesianProductInDeclaredOrder() {
        Plan p = plan("""
                pipeline t
                on push
                stage test {
                  runner docker "node:${matrix.node}"
                  matrix { node ["18", "20"] os ["linux", "mac"] }
                  step "unit" { sh "npm test --os=${matrix.os}" }
                }
                stage done { needs [test] step "d" { sh "true" } }
                """, push("main"));
        assertEquals(List.of("test[node=18,os=linux]", "test[node=18,os=mac]", "test[node=20,os=linux]",
                "test[node=20,os=mac]", "done"), p.stages().stream().map(PlanStage::name).toList());
        PlanStage third = stage(p, "test[node=20,os=linux]");
        assertEquals(Map.of("node", "20", "os", "linux"), third.matrix());
        assertEquals("node:20", third.runner().image());
        assertEquals("npm test --os=linux", third.steps().get(0).command());
        assertEquals("test", third.stage());
        assertEquals(2, stage(p, "done").group());
    }

    @Test
    void matrixValuesMayBeNumbersAndConditionsSeeThem() {
        Plan p = plan("""
                pipeline t
                on push
                stage test {
                  matrix { node [18, 20] }
                  when matrix.node >= 20 || git.branch == "main"
                  step "unit" { sh "node${matrix.node}" }
                }
                """, push("develop"));
        assertEquals(List.of("when `matrix.node >= 20 || git.branch == \"main\"` is false: matrix.node = 18, "
                + "git.branch = develop"), stage(p, "test[node=18]").reasons());
        assertEquals(PlanStage.Status.RUN, stage(p, "test[node=20]").status());
        assertEquals(List.of("when `matrix.node >= 20 || git.branch == \"main\"` is true: matrix.node = 20"),
                stage(p, "test[node=20]").notes());
        assertEquals("node20", stage(p, "test[node=20]").steps().get(0).command());
    }

    @Test
    void anEmptyAxisShowsTheStageOnceSkipped() {
        Plan p = plan("pipeline t\non push\nstage test { matrix { node [] } step \"u\" { sh \"x\" } }\n", push("main"));
        assertEquals(1, p.stages().size());
        assertEquals(List.of("matrix axis `node` has no values, so the stage has no instances"), stage(p, "test").reasons());
    }

    @Test
    void falseConditionSkipsWithTheValuesItSaw() {
        Plan p = plan("""
                pipeline t
                on push
                stage deploy {
                  when event == manual || git.tag ~ "v*"
                  step "d" { sh "deploy" }
                }
                """, push("main"));
        PlanStage s = stage(p, "deploy");
        assertEquals(PlanStage.Status.SKIP, s.status());
        assertEquals(List.of("when `event == manual || git.tag ~ \"v*\"` is false: event = push, git.tag is unset"),
                s.reasons());
        assertEquals("event == manual || git.tag ~ \"v*\"", s.when());
    }

    @Test
    void conditionOnOutputsIsDecidedAtRunTime() {
        Plan p = plan("""
                pipeline t
                on push
                stage image { step "build" { sh "build" } output digest = steps.build.digest }
                stage scan { needs [image] when stages.image.digest != "" step "s" { sh "scan ${stages.image.digest}" } }
                """, push("main"));
        PlanStage s = stage(p, "scan");
        assertEquals(PlanStage.Status.RUN, s.status());
        assertEquals(List.of("when `stages.image.digest != \"\"` is decided when the stage is ready: depends on "
                + "stages.image.digest"), s.notes());
        assertEquals("scan ${stages.image.digest}", s.steps().get(0).command());
        assertEquals("${steps.build.digest}", stage(p, "image").outputs().get(0).value());
    }

    @Test
    void skippedNeedsSkipTheirDependantsTransitively() {
        Plan p = plan("""
                pipeline t
                on push
                stage a { when git.branch == "main" step "a" { sh "a" } }
                stage b { needs [a] step "b" { sh "b" } }
                stage c { needs [b] when false step "c" { sh "c" } }
                stage d { step "d" { sh "d" } }
                """, push("develop"));
        assertEquals(List.of("when `git.branch == \"main\"` is false: git.branch = develop"), stage(p, "a").reasons());
        assertEquals(List.of("needs `a`, which is skipped"), stage(p, "b").reasons());
        assertEquals(List.of("needs `b`, which is skipped", "when `false` is false"), stage(p, "c").reasons());
        assertEquals(PlanStage.Status.RUN, stage(p, "d").status());
        assertEquals(List.of("a", "d", "b", "c"), p.stages().stream().map(PlanStage::name).toList(),
                "stages are listed group by group");
        assertEquals(List.of(1, 1, 2, 3), p.stages().stream().map(PlanStage::group).toList());
    }

    @Test
    void aPartlySkippedMatrixDoesNotSkipItsDependants() {
        Plan p = plan("""
                pipeline t
                on push
                stage test { matrix { node ["18", "20"] } when matrix.node == "20" step "u" { sh "x" } }
                stage done { needs [test] step "d" { sh "d" } }
                """, push("main"));
        PlanStage done = stage(p, "done");
        assertEquals(PlanStage.Status.RUN, done.status());
        assertEquals(List.of("needs `test`, of which test[node=18] is skipped; the other instances must succeed"),
                done.notes());
    }

    @Test
    void groupsFollowTheLongestChainOfNeeds() {
        Plan p = plan("""
                pipeline t
                on push
                stage lint { step "l" { sh "l" } }
                stage test { step "t" { sh "t" } }
                stage image { needs [test] step "i" { sh "i" } }
                stage it { needs [test] step "i" { sh "i" } }
                stage deploy { needs [lint, image, it] step "d" { sh "d" } }
                """, push("main"));
        assertEquals(List.of("lint:1", "test:1", "image:2", "it:2", "deploy:3"),
                p.stages().stream().map(s -> s.name() + ":" + s.group()).toList());
        assertEquals(3, p.groupCount());
    }

    @Test
    void aLongChainIsPlannedWithoutDeepRecursion() {
        StringBuilder text = new StringBuilder("pipeline t\non push\nstage s0 { step \"x\" { sh \"x\" } }\n");
        for (int i = 1; i < 5000; i++) {
            text.append("stage s").append(i).append(" { needs [s").append(i - 1).append("] step \"x\" { sh \"x\" } }\n");
        }
        Plan p = plan(text.toString(), push("main"));
        assertEquals(5000, p.groupCount());
    }

    @Test
    void cyclesAreRefusedAsUnchecked() {
        var parsed = SourceParser.parse(new SourceFile("c.pipe",
                "pipeline t\non push\nstage a { needs [b] step \"x\" { sh \"x\" } }\nstage b { needs [a] step \"x\" { sh \"x\" } }\n"));
        assertThrows(IllegalArgumentException.class, () -> Planner.plan(parsed.program(), push("main")));
    }

    @Test
    void stepsAreInterpolatedWithVarsEnvironmentVarsAndVersion() {
        Plan p = plan("""
                pipeline t
                on push
                vars { image = "shop/api:${git.short_sha}" region = "eu" }
                environment staging {
                  url "https://${vars.region}.staging.example.com"
                  vars { region = "us" }
                }
                stage deploy {
                  deploy to staging version "1.0-${git.branch}"
                  env { REGION = vars.region }
                  step "d" { sh "deploy ${image} ${version} ${vars.region} ${region}" retry 2 backoff 5s timeout 1m }
                  step "maybe" { sh "x" when git.branch == "main" }
                  step "later" { sh "y" when steps.d.ok == "yes" }
                }
                """, EventContext.builder(EventKind.PUSH, Plans.TUESDAY_10_NY).branch("develop").sha("0123456789abcdef").build());
        PlanStage s = stage(p, "deploy");
        PlanStep d = s.steps().get(0);
        assertEquals("deploy shop/api:0123456 1.0-develop us eu", d.command(), "vars.X sees the environment first");
        assertEquals(2, d.retry());
        assertEquals("5s", d.backoff());
        assertEquals("1m", d.timeout());
        assertEquals(Map.of("REGION", "us"), s.env());
        assertEquals(new PlanStage.Deploy("staging", "https://us.staging.example.com", "1.0-develop", null), s.deploy());
        PlanStep maybe = s.steps().get(1);
        assertEquals(Boolean.FALSE, maybe.whenValue());
        assertEquals("when `git.branch == \"main\"` is false: git.branch = develop", maybe.whenReason());
        PlanStep later = s.steps().get(2);
        assertNull(later.whenValue());
        assertEquals("when `steps.d.ok == \"yes\"` is decided when the step runs: depends on steps.d.ok",
                later.whenReason());
    }

    @Test
    void aPipelineVarHidesTheEventNameItSpells() {
        Plan p = plan("""
                pipeline t
                on push
                vars { manual = "by hand" }
                stage s { when event != manual step "x" { sh "echo ${manual}" } }
                """, push("main"));
        assertEquals("echo by hand", stage(p, "s").steps().get(0).command());
        assertEquals(List.of("when `event != manual` is true: event = push, manual = \"by hand\""), stage(p, "s").notes());
    }

    @Test
    void unsetAndUnknownVersionsAreExplained() {
        String text = """
                pipeline t
                on push
                on manual { input tag: string = "latest" }
                environment production { }
                stage a { deploy to production version inputs.tag ?? git.tag step "d" { sh "deploy ${version}" } }
                stage b { deploy to production version steps.x.version step "x" { sh "x" } }
                stage c { deploy to production step "d" { sh "d" } }
                """;
        Plan p = plan(text, push("main"));
        assertEquals(new PlanStage.Deploy("production", null, null, "inputs.tag is unset, git.tag is unset"),
                stage(p, "a").deploy());
        assertEquals("deploy ", stage(p, "a").steps().get(0).command());
        assertEquals(new PlanStage.Deploy("production", null, "${steps.x.version}",
                "steps.x.version is known only when step `x` has run"), stage(p, "b").deploy());
        assertEquals(new PlanStage.Deploy("production", null, null, null), stage(p, "c").deploy());
        Plan manual = plan(text, EventContext.manual(Map.of(), Plans.TUESDAY_10_NY));
        assertEquals("latest", stage(manual, "a").deploy().version());
        String text2 = PlanText.render(p, false);
        assertTrue(text2.contains("version unset — inputs.tag is unset, git.tag is unset"), text2);
    }
}
