package dev.pipe.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.UnknownValueException;
import dev.pipe.engine.eval.Value;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.StepItem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFactsTest {
    private static final String PIPE = """
            pipeline p
            on push
            secrets [TOKEN]
            vars { image = "shop:${git.short_sha}" }
            environment prod { secrets [KEY] }
            stage build {
              step "push" { sh "push --token ${secrets.TOKEN} ${image} ${steps.tag.name} ${env.HOME} ${run.id}" }
            }
            stage deploy {
              needs [build]
              deploy to prod version "v-${stages.build.digest}"
              step "go" { sh "deploy ${version} after ${previous.version ?? "nothing"} with ${secrets.KEY}" }
            }
            """;

    private static Program program() {
        ParseResult r = SourceParser.parse(new SourceFile("t.pipe", PIPE));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return r.program();
    }

    private static Expr command(Program p, String stage) {
        StepItem item = p.stages().stream().filter(s -> s.name().name().equals(stage)).findFirst().orElseThrow()
                .steps().get(0);
        return item.call().positional();
    }

    @Test
    void factsFillInWhatThePlanCouldNotKnow() {
        Program p = program();
        EventContext ctx = EventContext.builder(EventKind.PUSH, Plans.TUESDAY_10_NY).branch("main").sha("abcdef123456").build();
        Plan plan = Planner.plan(p, ctx);
        FixedFacts facts = new FixedFacts();
        facts.secrets.put("TOKEN", "t0p");
        facts.steps.put("tag", Map.of("name", "v1"));
        facts.env.put("HOME", "/home/ada");
        Evaluator eval = Planner.evaluator(p, ctx, Plans.stage(plan, "build"), facts);
        assertEquals("push --token t0p shop:abcdef1 v1 /home/ada 20261124-150000-abcd", eval.reveal(command(p, "build")));
        assertEquals("push --token *** shop:abcdef1 v1 /home/ada 20261124-150000-abcd", eval.display(command(p, "build")));
        assertTrue(Plans.stage(plan, "build").steps().get(0).command().contains("--token ***"));
    }

    @Test
    void versionAndPreviousComeFromTheFacts() {
        Program p = program();
        EventContext ctx = EventContext.push("main", Plans.TUESDAY_10_NY);
        Plan plan = Planner.plan(p, ctx);
        FixedFacts facts = new FixedFacts();
        facts.secrets.put("KEY", "k3y");
        facts.stages.put("build", Map.of("digest", "sha256:1"));
        Evaluator eval = Planner.evaluator(p, ctx, Plans.stage(plan, "deploy"), facts);
        assertEquals("deploy v-sha256:1 after nothing with k3y", eval.reveal(command(p, "deploy")));
        facts.previousVersion = "v-sha256:0";
        Evaluator later = Planner.evaluator(p, ctx, Plans.stage(plan, "deploy"), facts);
        assertEquals("deploy v-sha256:1 after v-sha256:0 with k3y", later.reveal(command(p, "deploy")));
    }

    @Test
    void revealRefusesWhatIsStillUnknown() {
        Program p = program();
        EventContext ctx = EventContext.builder(EventKind.PUSH, Plans.TUESDAY_10_NY).branch("main").sha("abc").build();
        Plan plan = Planner.plan(p, ctx);
        FixedFacts facts = new FixedFacts();
        facts.secrets.put("TOKEN", "t0p");
        Evaluator eval = Planner.evaluator(p, ctx, Plans.stage(plan, "build"), facts);
        UnknownValueException e = assertThrows(UnknownValueException.class, () -> eval.reveal(command(p, "build")));
        assertTrue(e.getMessage().contains("steps.tag.name is known only when step `tag` has run"), e.getMessage());

        facts.steps.put("tag", Map.of("name", "v1"));
        facts.secrets.clear();
        UnknownValueException noValue = assertThrows(UnknownValueException.class, () -> eval.reveal(command(p, "build")));
        assertTrue(noValue.getMessage().contains("uses secret secrets.TOKEN with no value"), noValue.getMessage());
    }

    @Test
    void aSecretNeverShowsItsValue() {
        Value.Secret s = Value.Secret.revealed("TOKEN", "t0p");
        assertEquals("***", s.display());
        assertTrue(!s.toString().contains("t0p"), s.toString());
        assertEquals("***", new Result.Known(s).display());
    }

    @Test
    void aStepOutputNotWrittenIsUnset() {
        Program p = program();
        EventContext ctx = EventContext.push("main", Plans.TUESDAY_10_NY);
        Plan plan = Planner.plan(p, ctx);
        FixedFacts facts = new FixedFacts();
        facts.steps.put("tag", Map.of());
        Evaluator eval = Planner.evaluator(p, ctx, Plans.stage(plan, "build"), facts);
        Result r = eval.evaluate(new Expr.Member(new Expr.Member(new Expr.Ref("steps", null),
                new Ident("tag", null), null), new Ident("name", null), null));
        assertEquals(new Result.Absent("steps.tag.name is unset: step `tag` did not produce output `name`"), r);
    }
}
