package dev.pipe.engine.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.deploy.Deployment.Kind;
import dev.pipe.engine.deploy.Deployment.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-24T15:00:00Z");

    @TempDir
    Path state;

    private Ledger ledger() {
        return new Ledger(state);
    }

    private static int minutes;

    /** An attempt on production by {@code run}, a minute after the previous one. */
    private static Deployment attempt(String run, String version, Outcome outcome) {
        Instant start = T0.plusSeconds(60L * minutes++);
        Deployment.Builder b = Deployment.builder(Kind.DEPLOY, "production", run, "deploy_production")
                .version(version)
                .times(start, start.plusSeconds(30))
                .outcome(outcome, outcome == Outcome.SUCCEEDED ? null : "verify check `health` failed after 5 tries");
        return b.build();
    }

    private static Deployment rolledBack(String run, String version, String restored, String restoredRun) {
        Instant start = T0.plusSeconds(60L * minutes++);
        return Deployment.builder(Kind.DEPLOY, "production", run, "deploy_production")
                .version(version).times(start, start.plusSeconds(30))
                .outcome(Outcome.ROLLED_BACK, "step `migrate` failed with exit code 1")
                .restored(restored, restoredRun).build();
    }

    @Test
    void anEntryIsOneSnakeCaseJsonLineAndReadsBackWhole() throws IOException {
        Deployment d = Deployment.builder(Kind.DEPLOY, "production", "20261124-150000-ab3d", "deploy_production")
                .version("v1.4.0")
                .times(T0, T0.plusSeconds(754))
                .triggeredBy("ada")
                .planDigest("9c1b2d3e")
                .url("https://shop.example.com")
                .approval("alice", T0.plusSeconds(60), "looks good")
                .approval("bob", T0.plusSeconds(120), null)
                .check("health", 3, true)
                .check("error rate below 5%", 1, true)
                .windowOverride("hotfix for the checkout outage", "carol")
                .outcome(Outcome.SUCCEEDED, null)
                .build();
        ledger().append(d);
        String text = Files.readString(ledger().file("production"));
        assertEquals("{\"kind\":\"deploy\",\"environment\":\"production\",\"version\":\"v1.4.0\",\"outcome\":\"succeeded\","
                + "\"run_id\":\"20261124-150000-ab3d\",\"stage\":\"deploy_production\","
                + "\"started_at\":\"2026-11-24T15:00:00Z\",\"finished_at\":\"2026-11-24T15:12:34Z\","
                + "\"triggered_by\":\"ada\",\"plan_digest\":\"9c1b2d3e\",\"url\":\"https://shop.example.com\","
                + "\"changed\":true,"
                + "\"approvals\":[{\"by\":\"alice\",\"at\":\"2026-11-24T15:01:00Z\",\"comment\":\"looks good\"},"
                + "{\"by\":\"bob\",\"at\":\"2026-11-24T15:02:00Z\"}],"
                + "\"checks\":[{\"name\":\"health\",\"tries\":3,\"passed\":true},"
                + "{\"name\":\"error rate below 5%\",\"tries\":1,\"passed\":true}],"
                + "\"window_override\":{\"reason\":\"hotfix for the checkout outage\",\"by\":\"carol\"}}\n", text);
        assertEquals(state.resolve("environments/production/history.jsonl"), ledger().file("production"));
        assertEquals(List.of(d), ledger().history("production"));
    }

    @Test
    void historyIsNewestFirstAndEnvironmentsAreSeparate() throws IOException {
        Deployment a = attempt("r1", "v1", Outcome.SUCCEEDED);
        Deployment b = attempt("r2", "v2", Outcome.FAILED);
        ledger().append(a);
        ledger().append(b);
        ledger().append(Deployment.builder(Kind.DEPLOY, "staging env", "r3", "deploy_staging")
                .times(T0, T0).outcome(Outcome.SUCCEEDED, null).build());
        assertEquals(List.of(b, a), ledger().history("production"));
        assertEquals(1, ledger().history("staging env").size());
        assertTrue(Files.exists(state.resolve("environments/staging%20env/history.jsonl")));
        assertEquals(List.of("production", "staging env"), ledger().environments());
        assertEquals(List.of(), ledger().history("qa"));
        assertEquals(Optional.empty(), ledger().current("qa"));
    }

    @Test
    void everyStringPassesThroughTheMasker() throws IOException {
        Deployment d = Deployment.builder(Kind.DEPLOY, "production", "r1", "deploy")
                .times(T0, T0).version("v1")
                .outcome(Outcome.FAILED, "curl -H 'token: s3cr3t' failed").changed(true).build();
        ledger().append(d, s -> s.replace("s3cr3t", "***"));
        String text = Files.readString(ledger().file("production"));
        assertFalse(text.contains("s3cr3t"), text);
        assertEquals("curl -H 'token: ***' failed", ledger().history("production").get(0).cause());
    }

    @Test
    void aTornLastLineIsLeftOutAndCutOffByTheNextAppend() throws IOException {
        Deployment a = attempt("r1", "v1", Outcome.SUCCEEDED);
        ledger().append(a);
        Path file = ledger().file("production");
        Files.writeString(file, "{\"kind\":\"deploy\",\"environment\":\"produ", StandardOpenOption.APPEND);
        HistoryFile read = ledger().read("production");
        assertEquals(List.of(a), read.entries());
        assertEquals(Optional.of("line 2 does not end with a newline"), read.torn());

        Deployment b = attempt("r2", "v2", Outcome.SUCCEEDED);
        ledger().append(b);
        assertEquals(List.of(b, a), ledger().history("production"));
        assertEquals(Optional.empty(), ledger().read("production").torn());
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aLastLineThatEndsButIsNotJsonIsTornToo() throws IOException {
        Deployment a = attempt("r1", "v1", Outcome.SUCCEEDED);
        ledger().append(a);
        Files.write(ledger().file("production"), new byte[] {'{', 0, 0, '\n'}, StandardOpenOption.APPEND);
        HistoryFile read = ledger().read("production");
        assertEquals(List.of(a), read.entries());
        assertTrue(read.torn().orElseThrow().startsWith("line 2 is not a whole entry"), read.torn().toString());
    }

    @Test
    void aDamagedLineBeforeTheLastIsAnError() throws IOException {
        ledger().append(attempt("r1", "v1", Outcome.SUCCEEDED));
        Path file = ledger().file("production");
        Files.writeString(file, "{\"kind\":\"deploy\",\"environment\":\"production\",\"outcome\":\"exploded\"}\n",
                StandardOpenOption.APPEND);
        ledger().read("production"); // the last line: torn, tolerated
        Files.writeString(file, Files.readString(file) + "{}\n");
        LedgerException e = assertThrows(LedgerException.class, () -> ledger().history("production"));
        assertTrue(e.getMessage().startsWith("line 2 of " + file + " is damaged ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("only the last line may be torn, so this history cannot be trusted."), e.getMessage());
        assertThrows(LedgerException.class, () -> ledger().append(attempt("r2", "v2", Outcome.SUCCEEDED)));
    }

    @Test
    void currentIsTheNewestSuccessAndRollbacksAndGateFailuresDoNotChangeIt() throws IOException {
        Deployment v1 = attempt("r1", "v1", Outcome.SUCCEEDED);
        ledger().append(v1);
        ledger().append(rolledBack("r2", "v2", "v1", "r1"));
        Deployment refused = Deployment.builder(Kind.DEPLOY, "production", "r3", "deploy_production")
                .version("v3").times(T0, T0).outcome(Outcome.FAILED, "rejected by bob: not on a Friday").build();
        assertFalse(refused.changed());
        ledger().append(refused);
        Ledger.Current current = ledger().current("production").orElseThrow();
        assertEquals("v1", current.version());
        assertEquals("r1", current.runId());
        assertEquals(Optional.empty(), current.unsettledBy());
    }

    @Test
    void aFailureThatChangedThingsWithoutARollbackUnsettlesTheCurrentVersion() throws IOException {
        ledger().append(attempt("r1", "v1", Outcome.SUCCEEDED));
        Deployment broken = Deployment.builder(Kind.DEPLOY, "production", "r2", "deploy_production")
                .version("v2").times(T0, T0).outcome(Outcome.FAILED, "step `deploy` failed").changed(true).build();
        ledger().append(broken);
        assertEquals(Optional.of(broken), ledger().current("production").orElseThrow().unsettledBy());

        Deployment worse = Deployment.builder(Kind.DEPLOY, "production", "r3", "deploy_production")
                .version("v3").times(T0, T0).outcome(Outcome.ROLLBACK_FAILED, "verify failed, then the rollback did")
                .restored("v1", "r1").build();
        ledger().append(worse);
        assertEquals(Optional.of(worse), ledger().current("production").orElseThrow().unsettledBy());

        ledger().append(attempt("r4", "v4", Outcome.SUCCEEDED));
        Ledger.Current settled = ledger().current("production").orElseThrow();
        assertEquals("v4", settled.version());
        assertEquals(Optional.empty(), settled.unsettledBy());
    }

    @Test
    void aManualRollbackThatSucceededIsWhatRunsNow() throws IOException {
        ledger().append(attempt("r1", "v1", Outcome.SUCCEEDED));
        ledger().append(attempt("r2", "v2", Outcome.SUCCEEDED));
        Deployment manual = Deployment.builder(Kind.MANUAL_ROLLBACK, "production", "r3", "deploy_production")
                .version("v1").times(T0, T0).outcome(Outcome.SUCCEEDED, "v2 leaks memory").build();
        ledger().append(manual);
        assertEquals(manual, ledger().current("production").orElseThrow().deployment());
        assertEquals("manual_rollback", manual.kind().text());
    }

    @Test
    void previousIsTheLastSuccessBeforeTheRun() throws IOException {
        assertEquals(Optional.empty(), ledger().previous("production", "r9"));
        Deployment v1 = attempt("r1", "v1", Outcome.SUCCEEDED);
        ledger().append(v1);
        ledger().append(attempt("r2", "v2", Outcome.FAILED));
        // A run still deploying has no entry yet: its previous is the newest success.
        assertEquals(Optional.of(v1), ledger().previous("production", "r3"));
        Deployment v3 = attempt("r3", "v3", Outcome.SUCCEEDED);
        ledger().append(v3);
        Deployment v4 = attempt("r4", "v4", Outcome.SUCCEEDED);
        ledger().append(v4);
        // Asked for a run that has entries: what came before its first one.
        assertEquals(Optional.of(v1), ledger().previous("production", "r3"));
        assertEquals(Optional.of(v3), ledger().previous("production", "r4"));
        assertEquals(Optional.empty(), ledger().previous("production", "r1"));
        assertEquals(Optional.of(v4), ledger().previous("production", "r5"));
    }

    @Test
    void findGivesTheNewestSuccessfulDeploymentOfAVersion() throws IOException {
        ledger().append(attempt("r1", "v1.3.0", Outcome.SUCCEEDED));
        Deployment again = attempt("r2", "v1.3.0", Outcome.SUCCEEDED);
        ledger().append(again);
        ledger().append(attempt("r3", "v1.4.0", Outcome.SUCCEEDED));
        assertEquals(again, ledger().find("production", "v1.3.0"));
    }

    @Test
    void findRefusesVersionsNeverDeployedSuccessfully() throws IOException {
        LedgerException none = assertThrows(LedgerException.class, () -> ledger().find("production", "v1.0.0"));
        assertEquals("nothing was ever deployed successfully to production, so there is no version to roll back to.",
                none.getMessage());

        ledger().append(attempt("r1", "v1.2.0", Outcome.SUCCEEDED));
        ledger().append(attempt("r2", "v1.3.0", Outcome.SUCCEEDED));
        ledger().append(rolledBack("r3", "v1.4.0", "v1.3.0", "r2"));

        LedgerException failed = assertThrows(LedgerException.class, () -> ledger().find("production", "v1.4.0"));
        assertEquals("`v1.4.0` was never deployed successfully to production (run r3 tried and it was rolled back); "
                + "versions deployed successfully, newest first: `v1.3.0` and `v1.2.0`.", failed.getMessage());

        LedgerException typo = assertThrows(LedgerException.class, () -> ledger().find("production", "v1.3.1"));
        assertEquals("`v1.3.1` was never deployed to production; did you mean `v1.3.0`? "
                + "versions deployed successfully, newest first: `v1.3.0` and `v1.2.0`.", typo.getMessage());

        LedgerException far = assertThrows(LedgerException.class, () -> ledger().find("production", "release-2027"));
        assertEquals("`release-2027` was never deployed to production; "
                + "versions deployed successfully, newest first: `v1.3.0` and `v1.2.0`.", far.getMessage());
    }

    @Test
    void rollbackTargetIsTheNewestEarlierSuccessOfAnotherVersion() throws IOException {
        assertThrows(LedgerException.class, () -> ledger().rollbackTarget("production"));
        Deployment v1 = attempt("r1", "v1", Outcome.SUCCEEDED);
        ledger().append(v1);
        LedgerException only = assertThrows(LedgerException.class, () -> ledger().rollbackTarget("production"));
        assertEquals("production runs `v1` and no other version was deployed successfully before it, "
                + "so there is nothing to roll back to.", only.getMessage());
        ledger().append(attempt("r2", "v2", Outcome.SUCCEEDED));
        ledger().append(attempt("r3", "v2", Outcome.SUCCEEDED));
        ledger().append(rolledBack("r4", "v3", "v2", "r3"));
        assertEquals(v1, ledger().rollbackTarget("production"));
    }

    @Test
    void anEntryMustBeConsistent() {
        IllegalArgumentException notChanged = assertThrows(IllegalArgumentException.class,
                () -> Deployment.builder(Kind.DEPLOY, "production", "r1", "d").times(T0, T0)
                        .outcome(Outcome.SUCCEEDED, null).changed(false).build());
        assertEquals("a deployment that succeeded ran its steps, so it changed the environment", notChanged.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Deployment.builder(Kind.DEPLOY, "production", "r1", "d").times(T0, T0)
                        .outcome(Outcome.SUCCEEDED, null).restored("v0", "r0").build());
        assertThrows(IllegalArgumentException.class,
                () -> Deployment.builder(Kind.DEPLOY, "production", "r1", "d").times(T0, T0.minusSeconds(1))
                        .outcome(Outcome.SUCCEEDED, null).build());
    }

    @Test
    @Timeout(120)
    void threadsAppendingAtOnceLoseNoLine() throws Exception {
        int threads = 8;
        int each = 40;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String run = "t" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        ledger().append(attempt(run, run + "." + i, Outcome.SUCCEEDED));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        HistoryFile read = ledger().read("production");
        assertEquals(Optional.empty(), read.torn());
        assertEquals(threads * each, read.entries().size());
        assertEquals(threads * each, Set.copyOf(read.entries().stream().map(Deployment::version).toList()).size());
    }

    @Test
    @Timeout(120)
    void processesAppendingAtOnceLoseNoLine() throws Exception {
        int processes = 3;
        int each = 60;
        try (Children children = new Children()) {
            List<Children.Child> started = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                started.add(children.start(LedgerAppender.class, state.toString(), "production", "p" + p,
                        Integer.toString(each)));
            }
            for (Children.Child c : started) {
                assertEquals("done", c.line());
                assertEquals(0, c.waitFor());
            }
        }
        List<Deployment> entries = ledger().read("production").entries();
        assertEquals(processes * each, entries.size());
        Set<String> versions = new HashSet<>();
        entries.forEach(d -> versions.add(d.version()));
        assertEquals(processes * each, versions.size());
        // Each process's own lines keep their order.
        for (int p = 0; p < processes; p++) {
            String run = "p" + p;
            List<String> mine = entries.stream().filter(d -> d.runId().equals(run)).map(Deployment::version).toList();
            for (int i = 0; i < each; i++) {
                assertEquals(run + "." + i, mine.get(i));
            }
        }
        String text = Files.readString(ledger().file("production"), StandardCharsets.UTF_8);
        assertEquals(processes * each, text.lines().count());
    }
}
