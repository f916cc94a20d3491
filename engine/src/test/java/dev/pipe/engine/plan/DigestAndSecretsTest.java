package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DigestAndSecretsTest {
    private static final String PIPELINE = """
            pipeline t
            on push
            on manual { input tag: string = "latest" }
            secrets [API_TOKEN]
            environment production {
              secrets [DB_PASSWORD]
              window "Tue-Thu 10:00-14:00" tz "America/New_York"
              approval { approvers ["alice", "bob"] }
            }
            stage build {
              env { TOKEN = secrets.API_TOKEN PLAIN = "visible" }
              service db "postgres:16" { env { POSTGRES_PASSWORD = secrets.DB_PASSWORD } }
              step "build" { sh "make TOKEN=${secrets.API_TOKEN} all" env { AUTH = "Bearer ${secrets.API_TOKEN}" } }
              step "upload" { http.post url: "https://example.com" token: secrets.API_TOKEN }
            }
            stage deploy {
              needs [build]
              deploy to production version inputs.tag ?? git.branch
              step "migrate" { sh "migrate --password=${secrets.DB_PASSWORD} --version=${version}" }
            }
            on failure { notify.webhook url: secrets.API_TOKEN text: "failed: ${secrets.API_TOKEN}" }
            """;

    private static final Instant OPEN = Instant.parse("2026-11-24T15:00:00Z");
    private static final Instant CLOSED = Instant.parse("2026-11-24T20:00:00Z");

    @Test
    void sameInputsGiveTheSameDigest() {
        Plan a = plan(PIPELINE, EventContext.push("main", OPEN));
        Plan b = plan(PIPELINE, EventContext.push("main", OPEN));
        assertEquals(a.digest(), b.digest());
        assertTrue(a.digest().matches("[0-9a-f]{64}"), a.digest());
        assertEquals(PlanJson.json(a), PlanJson.json(b));
    }

    @Test
    void theClockDoesNotChangeTheDigest() {
        Plan open = plan(PIPELINE, EventContext.push("main", OPEN));
        Plan closed = plan(PIPELINE, EventContext.push("main", CLOSED));
        assertEquals(PlanStage.Status.WAIT, closed.stage("deploy").orElseThrow().status());
        assertNotEquals(open.stage("deploy").orElseThrow().reasons(), closed.stage("deploy").orElseThrow().reasons());
        assertEquals(open.digest(), closed.digest());
    }

    @Test
    void changingACommandOrTheEventChangesTheDigest() {
        String base = plan(PIPELINE, EventContext.push("main", OPEN)).digest();
        String edited = plan(PIPELINE.replace("make TOKEN", "make -j4 TOKEN"), EventContext.push("main", OPEN)).digest();
        assertNotEquals(base, edited);
        assertNotEquals(base, plan(PIPELINE, EventContext.push("develop", OPEN)).digest());
        assertNotEquals(base, plan(PIPELINE, EventContext.builder(EventKind.MANUAL, OPEN).input("tag", "v2").build()).digest());
        assertNotEquals(plan(PIPELINE, EventContext.builder(EventKind.MANUAL, OPEN).input("tag", "v2").build()).digest(),
                plan(PIPELINE, EventContext.builder(EventKind.MANUAL, OPEN).input("tag", "v3").build()).digest());
    }

    @Test
    void secretsShowAsStarsInEveryRendering() {
        Plan p = plan(PIPELINE, EventContext.builder(EventKind.PUSH, OPEN).branch("main").triggeredBy("carol").build());
        PlanStage build = p.stage("build").orElseThrow();
        assertEquals("***", build.env().get("TOKEN"));
        assertEquals("visible", build.env().get("PLAIN"));
        assertEquals("***", build.services().get(0).env().get("POSTGRES_PASSWORD"));
        assertEquals("make TOKEN=*** all", build.steps().get(0).command());
        assertEquals("Bearer ***", build.steps().get(0).env().get("AUTH"));
        assertEquals(new PlanStep.Arg("token", "***"), build.steps().get(1).args().get(1));
        assertEquals("migrate --password=*** --version=main", p.stage("deploy").orElseThrow().steps().get(0).command());
        assertEquals(List.of(new PlanStep.Arg("url", "***"), new PlanStep.Arg("text", "failed: ***")),
                p.hooks().get(0).steps().get(0).args());
        assertEquals(List.of("API_TOKEN", "DB_PASSWORD"), p.stage("deploy").orElseThrow().secrets());
        for (String rendering : List.of(PlanText.render(p, false), PlanText.render(p, true), PlanJson.json(p), PlanJson.yaml(p))) {
            assertFalse(rendering.contains("secrets."), "a secret reference leaked:\n" + rendering);
            assertEquals(8, count(rendering, "***"), rendering);
        }
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
