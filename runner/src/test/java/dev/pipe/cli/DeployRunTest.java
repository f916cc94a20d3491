package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.Ledger;
import dev.pipe.engine.journal.JournalEntry;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments end to end through the command line: approvals that pause a run, verify against
 * an HTTP server on 127.0.0.1 that reports what the deploy step installed, rollbacks to the
 * previous version, the window override and the environment's history; concurrent pipe
 * processes deploying one locked environment never overlap.
 */
class DeployRunTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private Path state;

    @BeforeEach
    void start() throws IOException {
        state = dir.resolve(".pipe");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // /health answers 200 with the installed version, or 500 when a "bad" version is installed.
        server.createContext("/health", ex -> {
            Path f = dir.resolve("installed");
            String v = Files.exists(f) ? Files.readString(f).strip() : "";
            byte[] body = ("{\"version\":\"" + v + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(v.startsWith("bad") ? 500 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        Files.writeString(dir.resolve("app.pipe"), """
                pipeline app
                on manual {
                  input version: string
                }
                environment staging {
                  lock
                }
                environment production {
                  approval {
                    approvers ["alice", "bob", "carol"]
                    required 2
                    self_approval false
                  }
                  window "Mon-Fri 09:00-17:00" tz "UTC" outside fail
                  lock
                }
                stage staging {
                  deploy to staging version inputs.version
                  step "install" { sh "echo ${version} > installed" }
                  verify {
                    http "http://127.0.0.1:%d/health" expect 200 retries 1 every 1s
                  }
                  rollback {
                    step "reinstall" {
                      sh "test \\"${previous.version}\\" != broken-rollback && echo ${previous.version} > installed"
                      when previous.version ?? "" != ""
                    }
                  }
                }
                stage production {
                  deploy to production version inputs.version
                  step "install" { sh "echo ${version} > production" }
                }
                """.formatted(server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CliRun pipe(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state.toString()));
        return CliRun.of(Map.of(), all.toArray(String[]::new));
    }

    private CliRun deploy(String stage, String version, String... more) {
        List<String> args = new ArrayList<>(List.of("run", dir.resolve("app.pipe").toString(), "--event", "manual",
                "--input", "version=" + version, "--as", "ada", "--only", stage));
        args.addAll(List.of(more));
        return pipe(args.toArray(String[]::new));
    }

    private String latestRun() throws IOException {
        return new RunStore(state).latest().orElseThrow().id();
    }

    private List<Deployment> history(String env) throws IOException {
        return new Ledger(state).history(env);
    }

    // A Wednesday at noon UTC: the production window is open.
    private static final String OPEN = "2026-11-25T12:00:00Z";
    // A Saturday: closed.
    private static final String CLOSED = "2026-11-28T12:00:00Z";

    @Test
    void productionPausesForTwoApprovalsFromListedPeopleThenDeploys() throws IOException {
        CliRun r = deploy("production", "v1", "--at", OPEN);
        assertEquals(Exit.WAITING, r.code(), r::toString);
        assertTrue(r.out().contains("pipe approve "), r::toString);
        String run = latestRun();
        assertEquals(RunStatus.WAITING, new RunStore(state).find(run).state().status());
        CliRun status = pipe("status", run);
        assertTrue(status.out().contains("waiting production at the approval: waiting for 2 more approvals"), status::toString);

        CliRun self = pipe("approve", run, "--as", "ada");
        assertEquals(Exit.ERRORS, self.code(), self::toString);
        assertTrue(self.err().contains("not recorded"), self::toString);
        assertEquals(Exit.ERRORS, pipe("approve", run, "--as", "mallory").code());
        assertEquals(Exit.OK, pipe("approve", run, "--as", "alice", "--comment", "release notes read").code());
        CliRun again = pipe("approve", run, "--as", "alice");
        assertEquals(Exit.ERRORS, again.code(), again::toString);
        assertTrue(again.err().contains("already approved"), again::toString);
        CliRun bob = pipe("approve", run, "--as", "bob");
        assertEquals(Exit.OK, bob.code(), bob::toString);
        assertTrue(bob.out().contains("approved by alice and bob"), bob::toString);

        CliRun resumed = pipe("resume", run);
        assertEquals(Exit.OK, resumed.code(), resumed::toString);
        assertEquals("v1", Files.readString(dir.resolve("production")).strip());
        Deployment d = history("production").get(0);
        assertEquals(Deployment.Outcome.SUCCEEDED, d.outcome());
        assertEquals(List.of("alice", "bob"), d.approvals().stream().map(Deployment.Approval::by).toList());
        assertEquals("release notes read", d.approvals().get(0).comment());
    }

    @Test
    void withWaitTheRunGoesOnAsSoonAsTheApprovalsAreIn() throws Exception {
        java.util.concurrent.CompletableFuture<CliRun> running = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> deploy("production", "v1", "--at", OPEN, "--wait"));
        String run = null;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (run == null && System.nanoTime() < deadline) {
            var latest = Files.isDirectory(state.resolve("runs")) ? new RunStore(state).latest() : java.util.Optional.<RunDir>empty();
            if (latest.isPresent() && latest.get().state().stage("production")
                    .map(st -> st.waiting() != null && st.waiting().gate().equals("approval")).orElse(false)) {
                run = latest.get().id();
            } else {
                Thread.sleep(50);
            }
        }
        assertTrue(run != null, "the run never reached its approval gate");
        assertEquals(Exit.OK, pipe("approve", run, "--as", "alice").code());
        CliRun bob = pipe("approve", run, "--as", "bob");
        assertTrue(bob.out().contains("goes on by itself"), bob::toString);
        CliRun done = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Exit.OK, done.code(), done::toString);
        assertEquals("v1", Files.readString(dir.resolve("production")).strip());
    }

    @Test
    void aRejectedDeploymentFailsWithoutRunningAStep() throws IOException {
        assertEquals(Exit.WAITING, deploy("production", "v1", "--at", OPEN).code());
        String run = latestRun();
        assertEquals(Exit.OK, pipe("reject", run, "--as", "carol", "--comment", "not during the sale").code());
        CliRun resumed = pipe("resume", run);
        assertEquals(Exit.ERRORS, resumed.code(), resumed::toString);
        assertTrue(resumed.out().contains("carol"), resumed::toString);
        assertFalse(Files.exists(dir.resolve("production")));
        Deployment d = history("production").get(0);
        assertEquals(Deployment.Outcome.FAILED, d.outcome());
        assertFalse(d.changed());
    }

    @Test
    void aClosedWindowThatSaysFailFailsUnlessOverriddenWithAReason() throws IOException {
        CliRun closed = deploy("production", "v1", "--at", CLOSED);
        assertEquals(Exit.ERRORS, closed.code(), closed::toString);
        assertTrue(closed.out().contains("the window of production is closed"), closed::toString);
        assertEquals(Exit.USAGE, deploy("production", "v1", "--at", CLOSED, "--override-window").code());
        CliRun over = deploy("production", "v1", "--at", CLOSED, "--override-window", "--reason", "checkout is down");
        assertEquals(Exit.WAITING, over.code(), over::toString);
        String run = latestRun();
        pipe("approve", run, "--as", "alice");
        pipe("approve", run, "--as", "bob");
        assertEquals(Exit.OK, pipe("resume", run).code());
        assertEquals("checkout is down", history("production").get(0).windowOverride().reason());
    }

    @Test
    void aNewerRunSupersedesAnOlderRunsPendingApproval() throws Exception {
        assertEquals(Exit.WAITING, deploy("production", "v1", "--at", OPEN).code());
        String older = latestRun();
        Thread.sleep(1100); // run ids are stamped to the second
        assertEquals(Exit.WAITING, deploy("production", "v2", "--at", OPEN).code());
        String newer = latestRun();
        CliRun late = pipe("approve", older, "--as", "alice");
        assertEquals(Exit.ERRORS, late.code(), late::toString);
        assertTrue(late.err().contains(newer), late::toString);
    }

    @Test
    void aFailedVerifyRollsBackToTheVersionDeployedBefore() throws IOException {
        assertEquals(Exit.OK, deploy("staging", "v1").code());
        assertEquals(Exit.OK, deploy("staging", "v2").code());
        CliRun bad = deploy("staging", "bad3");
        assertEquals(Exit.ERRORS, bad.code(), bad::toString);
        assertTrue(bad.out().contains("rolled back to v2"), bad::toString);
        assertEquals("v2", Files.readString(dir.resolve("installed")).strip());
        List<Deployment> h = history("staging");
        assertEquals(Deployment.Outcome.ROLLED_BACK, h.get(0).outcome());
        assertEquals("v2", h.get(0).restoredVersion());
        assertEquals("v2", new Ledger(state).current("staging").orElseThrow().version());
        // The journal tells the same story.
        RunDir run = new RunStore(state).latest().orElseThrow();
        List<String> types = run.readJournal().entries().stream().map(JournalEntry::event)
                .map(e -> e.getClass().getSimpleName()).toList();
        assertTrue(types.containsAll(List.of("VerifyTry", "RollbackStarted", "RollbackFinished", "DeploymentRecorded")),
                types::toString);
    }

    @Test
    void aManualRollbackGoesBackToAVersionThatRanThereThroughTheLock() throws IOException {
        assertEquals(Exit.OK, deploy("staging", "v1").code());
        assertEquals(Exit.OK, deploy("staging", "v2").code());
        assertEquals(Exit.OK, deploy("staging", "v3").code());
        CliRun unknown = pipe("rollback", "staging", "--to", "v9", "--reason", "typo");
        assertEquals(Exit.ERRORS, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("was never deployed to staging"), unknown::toString);

        CliRun back = pipe("rollback", "staging", "--to", "v1", "--reason", "v2 and v3 corrupt carts", "--as", "alice");
        assertEquals(Exit.OK, back.code(), back::toString);
        assertEquals("v1", Files.readString(dir.resolve("installed")).strip());
        Deployment d = history("staging").get(0);
        assertEquals(Deployment.Kind.MANUAL_ROLLBACK, d.kind());
        assertEquals("v1", d.version());
        assertEquals("v2 and v3 corrupt carts", d.cause());
        assertEquals("v1", new Ledger(state).current("staging").orElseThrow().version());
        assertTrue(new RunStore(state).latest().orElseThrow().readJournal().entries().stream()
                .anyMatch(e -> e.event() instanceof JournalEvent.GatePassed g && g.gate().equals("lock")));

        // Without --to: the newest other version that ran successfully before what runs now.
        CliRun again = pipe("rollback", "staging", "--reason", "v1 lacks the tax fix");
        assertEquals(Exit.OK, again.code(), again::toString);
        assertEquals("v3", Files.readString(dir.resolve("installed")).strip());
        CliRun resume = pipe("resume", latestRun());
        assertEquals(Exit.ERRORS, resume.code(), resume::toString);
        assertTrue(resume.err().contains("manual rollback"), resume::toString);
    }

    @Test
    void resumingARolledBackDeploymentDeploysAgainFromItsFirstStep() throws IOException {
        assertEquals(Exit.OK, deploy("staging", "v1").code());
        assertEquals(Exit.ERRORS, deploy("staging", "bad2").code());
        String run = latestRun();
        CliRun resumed = pipe("resume", run);
        assertEquals(Exit.ERRORS, resumed.code(), resumed::toString);
        assertTrue(resumed.out().contains("[staging/install] started"), "the deploy step runs again: " + resumed);
        assertTrue(resumed.out().contains("[staging/reinstall] started"), "and so does the rollback: " + resumed);
        assertEquals("v1", Files.readString(dir.resolve("installed")).strip());
        List<Deployment> h = history("staging");
        assertEquals(Deployment.Outcome.ROLLED_BACK, h.get(0).outcome());
        assertEquals("v1", h.get(0).restoredVersion());
        assertEquals("v1", new Ledger(state).current("staging").orElseThrow().version());
    }

    @Test
    void aFailedRollbackIsLoud() throws IOException {
        assertEquals(Exit.OK, deploy("staging", "broken-rollback").code());
        CliRun bad = deploy("staging", "bad2");
        assertEquals(Exit.ROLLBACK_FAILED, bad.code(), bad::toString);
        assertTrue(bad.out().contains("the rollback FAILED"), bad::toString);
        assertEquals(Deployment.Outcome.ROLLBACK_FAILED, history("staging").get(0).outcome());
    }

    @Test
    void concurrentPipeProcessesNeverDeployToALockedEnvironmentAtOnce() throws Exception {
        Files.writeString(dir.resolve("slow.pipe"), """
                pipeline slow
                on push
                environment staging {
                  lock
                }
                stage deploy {
                  deploy to staging version "v1"
                  step "install" { sh "sleep 0.4" }
                }
                """);
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "run", dir.resolve("slow.pipe").toString(),
                    "--state", state.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out-" + i + ".txt").toFile()).start());
        }
        for (Process p : processes) {
            assertEquals(0, p.waitFor(), () -> {
                try {
                    return Files.readString(dir.resolve("out-0.txt"));
                } catch (IOException e) {
                    return e.toString();
                }
            });
        }
        List<Instant[]> intervals = new ArrayList<>();
        for (RunDir run : new RunStore(state).list()) {
            Instant from = null;
            Instant to = null;
            for (JournalEntry e : run.readJournal().entries()) {
                if (e.event() instanceof JournalEvent.GatePassed g && g.gate().equals("lock")) {
                    from = e.at();
                }
                if (e.event() instanceof JournalEvent.DeploymentRecorded) {
                    to = e.at();
                }
            }
            intervals.add(new Instant[] {from, to});
        }
        assertEquals(3, intervals.size());
        intervals.sort(Comparator.comparing(a -> a[0]));
        for (int i = 1; i < intervals.size(); i++) {
            assertFalse(intervals.get(i)[0].isBefore(intervals.get(i - 1)[1]),
                    "deployments overlap: " + intervals.get(i - 1)[0] + ".." + intervals.get(i - 1)[1] + " and "
                            + intervals.get(i)[0] + ".." + intervals.get(i)[1]);
        }
        assertEquals(3, history("staging").size());
    }
}
