package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.Deployment.Kind;
import dev.pipe.engine.deploy.Deployment.Outcome;
import dev.pipe.engine.deploy.EnvironmentDir;
import dev.pipe.engine.deploy.Ledger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pipe history ENV` and `pipe status ENV` on a ledger built with Ledger.append, through the command-line seam. */
class HistoryCommandTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path state;
    Ledger ledger;

    @BeforeEach
    void setUp() {
        state = dir.resolve(".pipe");
        ledger = new Ledger(state);
    }

    private CliRun pipe(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state");
        all.add(state.toString());
        return CliRun.of(all.toArray(String[]::new));
    }

    /** An attempt that starts when its run id says, such as 20261124-150000-ab3d at 2026-11-24T15:00:00Z. */
    private static Deployment.Builder attempt(Kind kind, String env, String run, String version, long tookSeconds) {
        Instant start = Instant.parse(run.substring(0, 4) + "-" + run.substring(4, 6) + "-" + run.substring(6, 8) + "T"
                + run.substring(9, 11) + ":" + run.substring(11, 13) + ":" + run.substring(13, 15) + "Z");
        return Deployment.builder(kind, env, run, kind == Kind.DEPLOY ? "deploy_" + env : "rollback")
                .version(version).times(start, start.plusSeconds(tookSeconds)).triggeredBy("ada");
    }

    private static Instant at(String time) {
        return Instant.parse(time);
    }

    /**
     * production, oldest first: v1.3.0 succeeded; v1.4.0 succeeded with two approvals; v1.4.1
     * rolled back to v1.4.0; v1.4.2 rejected at its gate; v1.5.0 let through a closed window,
     * whose rollback failed; then v1.3.0 again by hand.
     */
    private void production() throws IOException {
        ledger.append(attempt(Kind.DEPLOY, "production", "20261120-090000-aaaa", "v1.3.0", 300)
                .approval("alice", at("2026-11-20T09:01:00Z"), null).check("health", 1, true)
                .outcome(Outcome.SUCCEEDED, null).build());
        ledger.append(attempt(Kind.DEPLOY, "production", "20261124-150000-ab3d", "v1.4.0", 754)
                .url("https://shop.example.com")
                .approval("alice", at("2026-11-24T15:01:00Z"), "looks good")
                .approval("bob", at("2026-11-24T15:02:00Z"), null)
                .check("health", 3, true).check("error rate below 5%", 1, true)
                .outcome(Outcome.SUCCEEDED, null).build());
        ledger.append(attempt(Kind.DEPLOY, "production", "20261125-100000-k2v8", "v1.4.1", 552)
                .approval("carol", at("2026-11-25T10:03:00Z"), null)
                .check("health", 5, false).check("error rate below 5%", 1, true)
                .outcome(Outcome.ROLLED_BACK, "verify check `health` failed after 5 tries")
                .restored("v1.4.0", "20261124-150000-ab3d").build());
        ledger.append(attempt(Kind.DEPLOY, "production", "20261126-080000-c3c3", "v1.4.2", 3)
                .outcome(Outcome.FAILED, "rejected by bob: the changelog mentions a migration").changed(false).build());
        ledger.append(attempt(Kind.DEPLOY, "production", "20261126-220000-d4d4", "v1.5.0", 7380)
                .windowOverride("hotfix for the checkout outage", "carol")
                .outcome(Outcome.ROLLBACK_FAILED, "step `migrate` failed with exit code 1, and rollback step `restore` with exit code 2")
                .restored("v1.4.0", "20261124-150000-ab3d").build());
        ledger.append(attempt(Kind.MANUAL_ROLLBACK, "production", "20261127-090000-e5e5", "v1.3.0", 45)
                .outcome(Outcome.SUCCEEDED, null).build());
    }

    /**
     * staging: v1.3.0 and v1.4.0 succeeded; v1.5.0 failed and so did its rollback; v1.5.1 was
     * refused at its gate.
     */
    private void staging() throws IOException {
        ledger.append(attempt(Kind.DEPLOY, "staging", "20261120-090000-aaaa", "v1.3.0", 300)
                .outcome(Outcome.SUCCEEDED, null).build());
        ledger.append(attempt(Kind.DEPLOY, "staging", "20261124-140000-s1s1", "v1.4.0", 60)
                .approval("alice", at("2026-11-24T14:00:30Z"), null).outcome(Outcome.SUCCEEDED, null).build());
        ledger.append(attempt(Kind.DEPLOY, "staging", "20261126-210000-s2s2", "v1.5.0", 90)
                .outcome(Outcome.ROLLBACK_FAILED, "step `migrate` failed with exit code 1")
                .restored("v1.4.0", "20261124-140000-s1s1").build());
        ledger.append(attempt(Kind.DEPLOY, "staging", "20261126-230000-s3s3", "v1.5.1", 1)
                .outcome(Outcome.FAILED, "the approval gate expired at 2026-11-26T23:00:01Z").changed(false).build());
    }

    @Test
    void historyIsATableNewestFirstWithDetailLines() throws IOException {
        production();
        CliRun r = pipe("history", "production");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals("", r.err(), r::toString);
        assertEquals("""
                STARTED               VERSION  OUTCOME                    TOOK    BY   KIND             RUN                   STAGE
                2026-11-27T09:00:00Z  v1.3.0   succeeded                  45s     ada  manual rollback  20261127-090000-e5e5  rollback
                2026-11-26T22:00:00Z  v1.5.0   rollback to v1.4.0 FAILED  2h03m   ada  deploy           20261126-220000-d4d4  deploy_production
                    cause: step `migrate` failed with exit code 1, and rollback step `restore` with exit code 2
                    window override by carol: hotfix for the checkout outage
                2026-11-26T08:00:00Z  v1.4.2   failed, nothing changed    3.0s    ada  deploy           20261126-080000-c3c3  deploy_production
                    cause: rejected by bob: the changelog mentions a migration
                2026-11-25T10:00:00Z  v1.4.1   rolled back to v1.4.0      9m12s   ada  deploy           20261125-100000-k2v8  deploy_production
                    cause: verify check `health` failed after 5 tries
                    approved by carol
                    verify: `health` FAILED after 5 tries, `error rate below 5%` passed
                2026-11-24T15:00:00Z  v1.4.0   succeeded                  12m34s  ada  deploy           20261124-150000-ab3d  deploy_production
                    approved by alice ("looks good") and bob
                    verify: `health` passed after 3 tries, `error rate below 5%` passed
                2026-11-20T09:00:00Z  v1.3.0   succeeded                  5m00s   ada  deploy           20261120-090000-aaaa  deploy_production
                    approved by alice
                    verify: `health` passed
                """, r.out());
    }

    @Test
    void limitShowsTheNewestAndSaysHowManyAreLeftOut() throws IOException {
        production();
        CliRun r = pipe("history", "production", "--limit", "2");
        assertEquals(Exit.OK, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(1).contains("20261127-090000-e5e5"), r::toString);
        assertTrue(lines.get(2).contains("20261126-220000-d4d4"), r::toString);
        assertFalse(r.out().contains("20261126-080000-c3c3"), r::toString);
        assertEquals("(4 older attempts not shown; --limit 6 shows them all)", lines.get(lines.size() - 1));

        CliRun zero = pipe("history", "production", "--limit", "0");
        assertEquals(Exit.USAGE, zero.code(), zero::toString);
        assertEquals("pipe: --limit must be 1 or more, not 0\n", zero.err());
    }

    @Test
    void jsonIsEachAttemptAsItsHistoryLineNewestFirst() throws IOException {
        production();
        CliRun r = pipe("history", "production", "--output", "json");
        assertEquals(Exit.OK, r.code(), r::toString);
        List<String> file = new ArrayList<>(Files.readAllLines(ledger.file("production")));
        assertEquals(file.reversed(), r.out().lines().toList(), "the ledger's own JSON form, newest first");

        JsonNode failed = JSON.readTree(r.out().lines().toList().get(1));
        assertEquals("rollback_failed", failed.get("outcome").asText());
        assertEquals("v1.4.0", failed.get("restored_version").asText());
        assertEquals("carol", failed.get("window_override").get("by").asText());
        JsonNode manual = JSON.readTree(r.out().lines().findFirst().orElseThrow());
        assertEquals("manual_rollback", manual.get("kind").asText());

        CliRun two = pipe("history", "production", "--output", "json", "--limit", "2");
        assertEquals(file.reversed().subList(0, 2), two.out().lines().toList());

        CliRun bad = pipe("history", "production", "--output", "yaml");
        assertEquals(Exit.USAGE, bad.code(), bad::toString);
        assertEquals("pipe: --output must be text or json, not `yaml`\n", bad.err());
    }

    @Test
    void statusSaysWhatRunsNowAndWhatARollbackRestores() throws IOException {
        production();
        CliRun r = pipe("status", "production");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals("""
                production: v1.3.0 (a manual rollback)
                  deployed   2026-11-27T09:00:45Z by run 20261127-090000-e5e5 (stage rollback), started by ada
                  rollback   would restore v1.4.0, deployed 2026-11-24T15:12:34Z by run 20261124-150000-ab3d
                """, r.out());

        // --env reads the same environment.
        assertEquals(r.out(), pipe("status", "--env", "production").out());

        CliRun json = pipe("status", "production", "--output", "json");
        assertEquals(Exit.OK, json.code(), json::toString);
        JsonNode o = JSON.readTree(json.out());
        assertEquals("production", o.get("environment").asText());
        assertEquals(6, o.get("attempts").asInt());
        assertEquals("20261127-090000-e5e5", o.get("current").get("run_id").asText());
        assertEquals("manual_rollback", o.get("current").get("kind").asText());
        assertEquals("20261127-090000-e5e5", o.get("latest").get("run_id").asText());
        assertEquals("v1.4.0", o.get("rollback_target").get("version").asText());
        assertEquals("alice", o.get("rollback_target").get("approvals").get(0).get("by").asText());
        assertFalse(o.has("unsettled_by"), json::toString);
    }

    @Test
    void statusWarnsWhenALaterAttemptLeftTheEnvironmentUnsettled() throws IOException {
        staging();
        CliRun r = pipe("status", "staging");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals("""
                staging: v1.4.0
                  deployed   2026-11-24T14:01:00Z by run 20261124-140000-s1s1 (stage deploy_staging), started by ada
                  approved   by alice
                  UNSETTLED  run 20261126-210000-s2s2 (stage deploy_staging) tried to deploy v1.5.0 at 2026-11-26T21:00:00Z: rollback to v1.4.0 FAILED (step `migrate` failed with exit code 1); staging may no longer run v1.4.0
                  latest     run 20261126-230000-s3s3 (stage deploy_staging) tried to deploy v1.5.1 at 2026-11-26T23:00:00Z: failed, nothing changed (the approval gate expired at 2026-11-26T23:00:01Z)
                  rollback   would restore v1.3.0, deployed 2026-11-20T09:05:00Z by run 20261120-090000-aaaa
                """, r.out());

        JsonNode o = JSON.readTree(pipe("status", "staging", "--output", "json").out());
        assertEquals("20261124-140000-s1s1", o.get("current").get("run_id").asText());
        assertEquals("20261126-210000-s2s2", o.get("unsettled_by").get("run_id").asText());
        assertEquals("20261126-230000-s3s3", o.get("latest").get("run_id").asText());
        assertEquals("v1.3.0", o.get("rollback_target").get("version").asText());
    }

    /** docs/cli.md shows these two commands' output on this test's ledger: the docs cannot drift from the code. */
    @Test
    void theExamplesInCliMdAreWhatTheCommandsPrint() throws IOException {
        production();
        staging();
        String doc = Files.readString(CliRun.root().resolve("docs/cli.md"));
        for (String command : List.of("history production", "status staging")) {
            String prompt = "$ ./pipe " + command + "\n";
            int at = doc.indexOf(prompt);
            assertTrue(at >= 0, () -> "docs/cli.md shows no `" + prompt.strip() + "`");
            String shown = doc.substring(at + prompt.length(), doc.indexOf("```", at));
            CliRun r = pipe(command.split(" "));
            assertEquals(Exit.OK, r.code(), r::toString);
            assertEquals(shown, r.out(), "docs/cli.md: " + command);
        }
    }

    @Test
    void statusOfAnEnvironmentWhereNothingEverSucceeded() throws IOException {
        ledger.append(attempt(Kind.DEPLOY, "qa", "20261124-140000-q1q1", "v1.0.0", 20)
                .outcome(Outcome.FAILED, "step `deploy` failed with exit code 3").changed(true).build());
        CliRun r = pipe("status", "qa");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals("""
                qa: nothing deployed successfully yet (1 attempt; `pipe history qa` lists them)
                  latest     run 20261124-140000-q1q1 (stage deploy_qa) tried to deploy v1.0.0 at 2026-11-24T14:00:00Z: failed, no rollback (step `deploy` failed with exit code 3)
                  rollback   nothing to roll back to
                """, r.out());
        JsonNode o = JSON.readTree(pipe("status", "qa", "--output", "json").out());
        assertFalse(o.has("current"), o::toString);
        assertEquals("failed", o.get("latest").get("outcome").asText());
    }

    @Test
    void aDeploymentWithoutAVersionIsNamedByItsRun() throws IOException {
        ledger.append(attempt(Kind.DEPLOY, "preview", "20261124-140000-v1v1", null, 20).outcome(Outcome.SUCCEEDED, null).build());
        ledger.append(attempt(Kind.DEPLOY, "preview", "20261124-150000-v2v2", null, 20)
                .outcome(Outcome.ROLLED_BACK, "step `smoke` failed with exit code 1").restored(null, "20261124-140000-v1v1").build());
        CliRun r = pipe("status", "preview");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals("""
                preview: the deployment of run 20261124-140000-v1v1
                  deployed   2026-11-24T14:00:20Z by run 20261124-140000-v1v1 (stage deploy_preview), started by ada
                  latest     run 20261124-150000-v2v2 (stage deploy_preview) tried to deploy at 2026-11-24T15:00:00Z: rolled back to run 20261124-140000-v1v1 (step `smoke` failed with exit code 1)
                  rollback   nothing to roll back to (no other version ran here successfully before it)
                """, r.out());
        assertTrue(pipe("history", "preview").out().contains("\n2026-11-24T15:00:00Z  -        rolled back to run 20261124-140000-v1v1  20s"),
                () -> pipe("history", "preview").toString());
    }

    @Test
    void anEnvironmentWithoutDeploymentsSaysSoAndSucceeds() throws IOException {
        // An environment whose lock was used, but whose stage never ended: a directory, no history.
        Files.createDirectories(EnvironmentDir.of(state, "staging env").lockDir());
        CliRun r = pipe("history", "staging env");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals("No deployments to staging env yet.\n", r.out());

        CliRun s = pipe("status", "staging env");
        assertEquals(Exit.OK, s.code(), s::toString);
        assertEquals("No deployments to staging env yet.\n", s.out());

        CliRun json = pipe("history", "staging env", "--output", "json");
        assertEquals(Exit.OK, json.code(), json::toString);
        assertEquals("", json.out(), "no attempts, no lines");
        assertEquals("{\"environment\":\"staging env\",\"attempts\":0}\n", pipe("status", "staging env", "--output", "json").out());
    }

    @Test
    void anUnknownEnvironmentIsAUsageErrorNamingTheKnownOnes() throws IOException {
        CliRun none = pipe("history", "production");
        assertEquals(Exit.USAGE, none.code(), none::toString);
        assertEquals("pipe: there is no environment `production` in " + state.resolve("environments")
                + ": nothing has been deployed with this state directory yet.\n", none.err());

        production();
        staging();
        CliRun typo = pipe("history", "producton");
        assertEquals(Exit.USAGE, typo.code(), typo::toString);
        assertEquals("pipe: there is no environment `producton` in " + state.resolve("environments")
                + "; did you mean `production`? environments with a history: `production` and `staging`.\n", typo.err());
        assertEquals("", typo.out());

        CliRun forced = pipe("status", "--env", "qa");
        assertEquals(Exit.USAGE, forced.code(), forced::toString);
        assertEquals("pipe: there is no environment `qa` in " + state.resolve("environments")
                + "; environments with a history: `production` and `staging`.\n", forced.err());

        CliRun blank = pipe("history", "");
        assertEquals(Exit.USAGE, blank.code(), blank::toString);
        assertEquals("pipe: give an environment's name\n", blank.err());
    }

    @Test
    void statusTellsEnvironmentsFromRuns() throws IOException {
        Path file = Files.writeString(dir.resolve("tiny.pipe"), """
                pipeline tiny
                on push
                stage build {
                  step "compile" { sh "true" }
                }
                """);
        CliRun ran = pipe("run", file.toString());
        assertEquals(Exit.OK, ran.code(), ran::toString);
        String runId = pipe("runs").out().strip().split("\\s+")[0];

        // No environment has that name, so it is a run, whole or as a prefix.
        CliRun run = pipe("status", runId);
        assertEquals(Exit.OK, run.code(), run::toString);
        assertTrue(run.out().startsWith("run " + runId + ": succeeded"), run::toString);
        assertEquals(run.out(), pipe("status", runId.substring(0, 8)).out());

        // An environment named like the run's prefix wins; the whole id is still the run.
        String prefix = runId.substring(0, 8);
        ledger.append(attempt(Kind.DEPLOY, prefix, "20261124-140000-p1p1", "v2", 10).outcome(Outcome.SUCCEEDED, null).build());
        CliRun env = pipe("status", prefix);
        assertEquals(Exit.OK, env.code(), env::toString);
        assertTrue(env.out().startsWith(prefix + ": v2\n"), env::toString);
        assertTrue(pipe("status", runId).out().startsWith("run " + runId + ": succeeded"));
        assertEquals(env.out(), pipe("status", "--env", prefix).out());

        // --env never reads a run; a run never has JSON status; both at once is a usage error.
        CliRun notEnv = pipe("status", "--env", runId);
        assertEquals(Exit.USAGE, notEnv.code(), notEnv::toString);
        assertTrue(notEnv.err().startsWith("pipe: there is no environment `" + runId + "`"), notEnv::toString);
        CliRun runJson = pipe("status", runId, "--output", "json");
        assertEquals(Exit.USAGE, runJson.code(), runJson::toString);
        assertTrue(runJson.err().startsWith("pipe: --output json shows an environment's status"), runJson::toString);
        CliRun both = pipe("status", runId, "--env", prefix);
        assertEquals(Exit.USAGE, both.code(), both::toString);
        assertEquals("pipe: give a run or --env NAME, not both\n", both.err());

        // Neither a run nor an environment: the run's message, and the environment it may have meant.
        staging();
        CliRun typo = pipe("status", "stagign");
        assertEquals(Exit.USAGE, typo.code(), typo::toString);
        assertTrue(typo.err().startsWith("pipe: there is no run `stagign` in "), typo::toString);
        assertTrue(typo.err().endsWith(" Nor is it an environment; did you mean `staging`?\n"), typo::toString);
        assertEquals(1, typo.err().lines().count(), typo::toString);
    }

    @Test
    void aDamagedHistoryIsOneLineAndExitOne() throws IOException {
        production();
        Path history = ledger.file("production");
        List<String> lines = new ArrayList<>(Files.readAllLines(history));
        lines.set(1, lines.get(1).substring(0, 40));
        Files.write(history, lines);
        for (String[] args : List.of(new String[] {"history", "production"}, new String[] {"status", "production"},
                new String[] {"history", "production", "--output", "json"})) {
            CliRun r = pipe(args);
            assertEquals(Exit.ERRORS, r.code(), r::toString);
            assertEquals("", r.out(), r::toString);
            assertTrue(r.err().startsWith("pipe: line 2 of " + history + " is damaged ("), r::toString);
            assertTrue(r.err().endsWith("only the last line may be torn, so this history cannot be trusted.\n"), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
        }
    }

    @Test
    void aTornLastLineIsLeftOutWithANote() throws IOException {
        staging();
        Path history = ledger.file("staging");
        Files.writeString(history, "{\"kind\":\"deploy\",\"environ", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        CliRun r = pipe("history", "staging");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertEquals(1 + 4, r.out().lines().filter(l -> !l.startsWith(" ")).count(), "a header and the four whole attempts");
        assertEquals("pipe: note: the last line of " + history + " is left out: line 5 does not end with a newline;"
                + " a deployment was being recorded when pipe stopped, and the next one removes it.\n", r.err());
    }

    @Test
    void historyHasHelp() {
        CliRun r = CliRun.of("history", "--help");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("Usage: pipe history"), r::toString);
        assertTrue(CliRun.of("status", "--help").out().contains("--env=NAME"));
    }

    @Test
    void textFromTheHistoryStaysOnItsLine() throws IOException {
        ledger.append(attempt(Kind.DEPLOY, "production", "20261124-140000-x1x1", "v1", 10)
                .outcome(Outcome.FAILED, "line one\nline two\u001b[31m red").build());
        CliRun r = pipe("history", "production");
        assertEquals(3, r.out().lines().count(), r::toString);
        assertTrue(r.out().contains("    cause: line one line two [31m red\n"), r::toString);
    }
}
