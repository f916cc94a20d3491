package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.TUESDAY_10_NY;
import static dev.pipe.engine.plan.Plans.plan;
import static dev.pipe.engine.plan.Plans.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputsTest {
    private static final String PIPELINE = """
            pipeline t
            on push
            on manual {
              input tag: string
              input reason: string = "routine"
              input skip_smoke: bool = false
              input retries: number = 3
              input soak: duration = 10m
              input component: choice("both", "backend", "frontend") = "both"
            }
            stage deploy {
              when !inputs.skip_smoke
              step "d" { sh "deploy ${inputs.tag ?? git.branch} ${inputs.component ?? "all"} ${inputs.retries ?? 1} ${inputs.soak ?? 0s}" }
            }
            """;

    private static Plan manual(String... pairs) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            inputs.put(pairs[i], pairs[i + 1]);
        }
        return plan(PIPELINE, EventContext.manual(inputs, TUESDAY_10_NY));
    }

    private static String error(String... pairs) {
        return assertThrows(PlanException.class, () -> manual(pairs)).getMessage();
    }

    @Test
    void givenAndDefaultValuesAreTyped() {
        Plan p = manual("tag", "v1.2.3", "retries", "5", "soak", "90s", "component", "backend");
        PlanStage s = stage(p, "deploy");
        assertEquals(PlanStage.Status.RUN, s.status());
        assertEquals("deploy v1.2.3 backend 5 1m30s", s.steps().get(0).command());
        assertEquals(Map.of("tag", "v1.2.3", "reason", "routine", "skip_smoke", "false", "retries", "5",
                "soak", "1m30s", "component", "backend"), p.event().inputs());
        assertEquals(List.of("tag", "reason", "skip_smoke", "retries", "soak", "component"),
                List.copyOf(p.event().inputs().keySet()), "inputs are listed in declared order");
    }

    @Test
    void aBoolInputDecidesTheCondition() {
        PlanStage s = stage(manual("tag", "v1", "skip_smoke", "true"), "deploy");
        assertEquals(List.of("when `!inputs.skip_smoke` is false: inputs.skip_smoke = true"), s.reasons());
    }

    @Test
    void unknownInputIsAUsageErrorWithSuggestion() {
        assertEquals("`tga` is not an input of this pipeline; did you mean `tag`? The inputs are tag, reason, "
                + "skip_smoke, retries, soak, component.", error("tga", "v1"));
        assertEquals("`zzz` is not an input of this pipeline. The inputs are tag, reason, skip_smoke, retries, soak, "
                + "component.", error("zzz", "v1"));
        String none = assertThrows(PlanException.class, () -> plan("pipeline t\non manual\nstage s { step \"x\" { sh \"x\" } }\n",
                EventContext.manual(Map.of("a", "1"), TUESDAY_10_NY))).getMessage();
        assertEquals("this pipeline declares no inputs, so `--input a=1` cannot be used; inputs are declared in "
                + "`on manual { input NAME: TYPE }`.", none);
    }

    @Test
    void badlyTypedValuesNameWhatIsAllowed() {
        assertEquals("input `skip_smoke` is a bool, so `--input skip_smoke=yes` must be true or false.",
                error("tag", "v1", "skip_smoke", "yes"));
        assertEquals("input `retries` is a number, so `--input retries=many` must be a number such as 3 or 2.5.",
                error("tag", "v1", "retries", "many"));
        assertTrue(error("tag", "v1", "soak", "10 minutes").startsWith(
                "input `soak` is a duration, so `--input soak=10 minutes` must be a duration such as 90s, 10m or 1h30m: "));
        assertEquals("input `component` is one of both, backend, frontend, so `--input component=backnd` is not "
                + "allowed. Did you mean `backend`?", error("tag", "v1", "component", "backnd"));
    }

    @Test
    void missingRequiredInputSkipsEverythingAndIsAProblem() {
        Plan p = manual("reason", "hotfix");
        String sentence = "input `tag` is required for a manual run; pass --input tag=VALUE";
        assertEquals(List.of(sentence), p.problems());
        assertEquals(List.of(sentence), stage(p, "deploy").reasons());
        assertEquals(PlanStage.Status.SKIP, stage(p, "deploy").status());
    }

    @Test
    void otherEventsHaveNoInputs() {
        Plan p = plan(PIPELINE, Plans.push("main"));
        PlanStage s = stage(p, "deploy");
        assertEquals(PlanStage.Status.RUN, s.status(), "an unset bool reads as false, so !inputs.skip_smoke is true");
        assertEquals("deploy main all 1 0s", s.steps().get(0).command());
        assertEquals(Map.of(), p.event().inputs());
        assertEquals(List.of(), p.notes());
    }

    @Test
    void inputsGivenToOtherEventsAreCheckedThenIgnoredWithANote() {
        Plan p = plan(PIPELINE, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .input("tag", "v9").build());
        assertEquals("deploy main all 1 0s", stage(p, "deploy").steps().get(0).command());
        assertEquals(List.of("the inputs given are ignored: only a manual run has inputs (pass --event manual)"), p.notes());
        assertThrows(PlanException.class, () -> plan(PIPELINE, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY)
                .branch("main").input("tga", "v9").build()));
    }
}
