package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.deploy.Approvals;
import dev.pipe.engine.deploy.DecisionFile;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.EventKind;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gates of a deploying stage, on a clock the test moves. */
class GatekeeperTest {
    // Tuesday 24 November 2026, 08:00 in New York: before the window opens at 09:00.
    private static final Instant BEFORE_OPENING = Instant.parse("2026-11-24T13:00:00Z");
    private static final String PIPELINE = """
            pipeline p
            on push
            environment production {
              approval {
                approvers ["alice", "bob", "carol"]
                required 2
                expires 24h
                self_approval false
              }
              window "Mon-Thu 09:00-16:00" tz "America/New_York" outside %s
              lock
            }
            environment staging {
              lock
            }
            stage deploy {
              deploy to production version "v1.4.0"
              step "go" { sh "deploy" }
            }
            stage stage_it {
              deploy to staging version "v1.4.0"
              step "go" { sh "deploy" }
            }
            """;

    @TempDir
    Path state;

    private final List<String> events = new ArrayList<>();
    private Instant now = BEFORE_OPENING;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final List<Duration> slept = new ArrayList<>();
    private final StageRunner.Sleeper sleeper = (d, c) -> {
        slept.add(d);
        now = now.plus(d);
    };
    private final Gatekeeper.Listener listener = new Gatekeeper.Listener() {
        @Override
        public void waiting(String stage, String gate, String detail, String environment, String version) {
            events.add("waiting " + gate + ": " + detail);
        }

        @Override
        public void passed(String stage, String gate, String detail) {
            events.add("passed " + gate + ": " + detail);
        }

        @Override
        public void decision(String stage, Approvals.Decision d) {
            events.add("decision " + d.verdict() + " by " + d.by());
        }
    };

    private Program program;
    private Plan plan;

    private void pipeline(String outside) {
        ParseResult r = SourceParser.parse(new SourceFile("p.pipe", PIPELINE.formatted(outside)));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        program = r.program();
        plan = Planner.plan(program, EventContext.builder(EventKind.PUSH, now).branch("main").triggeredBy("ada").build());
    }

    private Environment env(String name) {
        return program.environment(name).orElseThrow();
    }

    private Gatekeeper keeper(String runId, String override, boolean wait) {
        Path runDir = state.resolve("runs").resolve(runId);
        DecisionFile file = new DecisionFile(runDir);
        Gatekeeper.Decisions decisions = new Gatekeeper.Decisions() {
            @Override
            public List<Approvals.Decision> of(String stage) throws IOException {
                return file.of(stage);
            }

            @Override
            public Optional<String> supersededBy(String environment, String run) throws IOException {
                return DecisionFile.supersededBy(state, environment, run);
            }

            @Override
            public void opened(String environment, String run, String stage, Instant at) throws IOException {
                DecisionFile.opened(state, environment, run, stage, now);
            }
        };
        return new Gatekeeper(state, clock, sleeper, listener, decisions, Gatekeeper.Prompt.NONE,
                new Gatekeeper.Options(runId, "ada", plan.digest(), override, wait, Duration.ofSeconds(1)));
    }

    private void decide(String runId, String by, boolean approve) throws IOException {
        java.nio.file.Files.createDirectories(state.resolve("runs").resolve(runId));
        Approvals.Subject s = new Approvals.Subject(runId, "deploy", "production", "v1.4.0", plan.digest());
        new DecisionFile(state.resolve("runs").resolve(runId)).append(approve ? Approvals.Decision.approve(by, now, "ok", s)
                : Approvals.Decision.reject(by, now, "not today", s), UnaryOperator.identity());
    }

    private Gatekeeper.Admission admit(String runId, String override, boolean wait) throws InterruptedException {
        PlanStage stage = plan.stage("deploy").orElseThrow();
        return keeper(runId, override, wait).admit(stage, env("production"), "v1.4.0", null, new Cancellation());
    }

    @Test
    void aClosedWindowThatSaysWaitIsWaitedForThenApprovalsPauseTheRun() throws Exception {
        pipeline("wait");
        Gatekeeper.Admission a = admit("20261124-130000-aaaa", null, false);
        assertEquals(Gatekeeper.Verdict.WAITING, a.verdict(), a.reason());
        assertEquals(Instant.parse("2026-11-24T14:00:00Z"), now.minusMillis(1).truncatedTo(java.time.temporal.ChronoUnit.MINUTES),
                "waited until 09:00 New York time");
        assertEquals("passed lock: holds the lock of production", events.get(0));
        assertTrue(events.get(1).startsWith("waiting window: the window of production is closed; it opens at 2026-11-24 09:00"),
                events::toString);
        assertEquals("passed window: the window of production is open now", events.get(2));
        assertTrue(events.get(3).startsWith("waiting approval: waiting for 2 more approvals"), events::toString);
        assertTrue(a.reason().startsWith("waits for approval to deploy to production"), a.reason());
        assertNull(a.lock(), "a paused run gives the lock back");
    }

    @Test
    void twoApprovalsFromListedPeopleLetTheStageThroughAndTheLockIsHeld() throws Exception {
        pipeline("wait");
        now = Instant.parse("2026-11-24T15:00:00Z");
        String run = "20261124-150000-bbbb";
        decide(run, "ada", true);    // the triggerer: refused
        decide(run, "mallory", true); // not an approver: refused
        decide(run, "alice", true);
        decide(run, "bob", true);
        Gatekeeper.Admission a = admit(run, null, false);
        assertEquals(Gatekeeper.Verdict.PASSED, a.verdict(), a.reason());
        assertEquals(List.of("alice", "bob"), a.approvals().stream().map(Approvals.Decision::by).toList());
        assertTrue(events.contains("decision APPROVE by alice") && events.contains("decision APPROVE by bob"), events::toString);
        assertTrue(a.lock() != null, "the lock is held through the steps");
        a.release();
    }

    @Test
    void aRejectionFailsTheStage() throws Exception {
        pipeline("wait");
        now = Instant.parse("2026-11-24T15:00:00Z");
        String run = "20261124-150000-cccc";
        decide(run, "carol", false);
        Gatekeeper.Admission a = admit(run, null, false);
        assertEquals(Gatekeeper.Verdict.FAILED, a.verdict());
        assertTrue(a.reason().contains("carol"), a.reason());
    }

    @Test
    void aNewerRunWaitingForTheSameEnvironmentSupersedesAnOlderOne() throws Exception {
        pipeline("wait");
        now = Instant.parse("2026-11-24T15:00:00Z");
        assertEquals(Gatekeeper.Verdict.WAITING, admit("20261124-150000-old1", null, false).verdict());
        now = now.plusSeconds(60);
        assertEquals(Gatekeeper.Verdict.WAITING, admit("20261124-150100-new2", null, false).verdict());
        decide("20261124-150000-old1", "alice", true);
        decide("20261124-150000-old1", "bob", true);
        Gatekeeper.Admission old = admit("20261124-150000-old1", null, false);
        assertEquals(Gatekeeper.Verdict.FAILED, old.verdict());
        assertTrue(old.reason().contains("20261124-150100-new2"), old.reason());
    }

    @Test
    void outsideFailFailsAndAnOverrideGoesThroughWithItsReason() throws Exception {
        pipeline("fail");
        Gatekeeper.Admission a = admit("20261124-130000-dddd", null, false);
        assertEquals(Gatekeeper.Verdict.FAILED, a.verdict());
        assertTrue(a.reason().startsWith("the window of production is closed and the environment says outside fail; it opens at"),
                a.reason());
        assertEquals(List.of(), slept);
        decide("20261124-130000-eeee", "alice", true);
        decide("20261124-130000-eeee", "bob", true);
        Gatekeeper.Admission o = admit("20261124-130000-eeee", "hotfix for the checkout outage", false);
        assertEquals(Gatekeeper.Verdict.PASSED, o.verdict(), o.reason());
        assertEquals("hotfix for the checkout outage", o.windowOverride());
        o.release();
    }

    @Test
    void withWaitTheGatePollsUntilTheApprovalsAreIn() throws Exception {
        pipeline("wait");
        now = Instant.parse("2026-11-24T15:00:00Z");
        String run = "20261124-150000-ffff";
        decide(run, "alice", true);
        List<Duration> polls = new ArrayList<>();
        Gatekeeper keeper = new Gatekeeper(state, clock, (d, c) -> {
            polls.add(d);
            if (polls.size() == 2) {
                // Meanwhile the lock is free: another run takes it and gives it back.
                try (var other = new dev.pipe.engine.deploy.EnvironmentLock(state, "production")
                        .acquire("20261124-150500-zzzz", "deploy", () -> false, w -> { })) {
                    events.add("another run held the lock");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            if (polls.size() == 3) {
                try {
                    decide(run, "carol", true);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }, listener, new Gatekeeper.Decisions() {
            @Override
            public List<Approvals.Decision> of(String stage) throws IOException {
                return new DecisionFile(state.resolve("runs").resolve(run)).of(stage);
            }
        }, Gatekeeper.Prompt.NONE, new Gatekeeper.Options(run, "ada", plan.digest(), null, true, Duration.ofSeconds(1)));
        Gatekeeper.Admission a = keeper.admit(plan.stage("deploy").orElseThrow(), env("production"), "v1.4.0", null,
                new Cancellation());
        assertEquals(Gatekeeper.Verdict.PASSED, a.verdict(), a.reason());
        assertEquals(3, polls.size());
        // While it waited for people it gave the lock back, and took it again once approved.
        assertEquals(2, events.stream().filter(e -> e.startsWith("passed lock")).count(), events::toString);
        assertTrue(a.lock() != null);
        a.release();
    }

    @Test
    void aStageWithOnlyALockPassesAtOnce() throws Exception {
        pipeline("wait");
        Gatekeeper.Admission a = keeper("20261124-130000-gggg", null, false)
                .admit(plan.stage("stage_it").orElseThrow(), env("staging"), "v1.4.0", null, new Cancellation());
        assertEquals(Gatekeeper.Verdict.PASSED, a.verdict());
        assertEquals(List.of("passed lock: holds the lock of staging"), events);
        a.release();
    }
}
