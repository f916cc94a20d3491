package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.plan;
import static dev.pipe.engine.plan.Plans.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lock, window and approval gates at fixed clocks. */
class GatesTest {
    private static final String PIPELINE = """
            pipeline t
            on push
            environment production {
              window "Tue-Thu 10:00-14:00" tz "America/New_York" freeze ["2026-12-24".."2027-01-02"]
              lock
            }
            environment strict {
              window "Mon-Fri 09:00-17:00" tz "Europe/Berlin" outside fail
            }
            environment approved {
              approval { approvers ["alice", "bob", "carol"] required 2 expires 24h self_approval false }
            }
            stage deploy { deploy to production step "d" { sh "deploy" } }
            stage after { needs [deploy] step "a" { sh "after" } }
            stage strict { deploy to strict step "d" { sh "deploy" } }
            stage after_strict { needs [strict] step "a" { sh "after" } }
            stage approved { deploy to approved step "d" { sh "deploy" } }
            """;

    private static Plan at(String instant) {
        return plan(PIPELINE, EventContext.push("main", Instant.parse(instant)));
    }

    private static Plan by(String user) {
        return plan(PIPELINE, EventContext.builder(EventKind.PUSH, Instant.parse("2026-11-24T15:00:00Z"))
                .branch("main").triggeredBy(user).build());
    }

    @Test
    void gatesComeInOrderLockThenWindow() {
        PlanStage s = stage(at("2026-11-24T15:00:00Z"), "deploy");
        assertEquals(List.of("lock", "window"), s.gates().stream().map(Gate::kind).toList());
        assertEquals("one deployment to production at a time", s.gates().get(0).summary());
    }

    @Test
    void openWindowRunsAndSaysWhenItCloses() {
        PlanStage s = stage(at("2026-11-24T15:00:00Z"), "deploy");
        assertEquals(PlanStage.Status.RUN, s.status());
        assertEquals(List.of(), s.reasons());
        Gate.WindowGate w = s.gates().get(1).window();
        assertEquals(Boolean.TRUE, w.open());
        assertEquals("2026-11-24T14:00-05:00", w.closesAt());
        assertNull(w.opensAt());
        assertEquals(List.of("2026-12-24..2027-01-02"), w.freeze());
        assertEquals("Tue\u2013Thu 10:00\u201314:00 America/New_York, frozen 2026-12-24 to 2027-01-02: open now, "
                + "closes at 2026-11-24T14:00-05:00", s.gates().get(1).summary());
    }

    @Test
    void closedWindowWaitsUntilItOpens() {
        Plan p = at("2026-11-24T14:30:00Z");
        PlanStage s = stage(p, "deploy");
        assertEquals(PlanStage.Status.WAIT, s.status());
        assertEquals(List.of("window closed; opens at 2026-11-24T10:00-05:00 (America/New_York)"), s.reasons());
        assertEquals(PlanStage.Status.RUN, stage(p, "after").status());
        assertEquals(List.of("starts after `deploy`, which waits at a gate"), stage(p, "after").notes());
        PlanStage friday = stage(at("2026-11-27T16:00:00Z"), "deploy");
        assertEquals(List.of("window closed; opens at 2026-12-01T10:00-05:00 (America/New_York)"), friday.reasons());
    }

    @Test
    void frozenWindowWaitsPastTheFreeze() {
        PlanStage s = stage(at("2026-12-29T16:00:00Z"), "deploy");
        assertEquals(PlanStage.Status.WAIT, s.status());
        assertEquals(List.of("window closed (frozen 2026-12-24 to 2027-01-02); opens at 2027-01-05T10:00-05:00 "
                + "(America/New_York)"), s.reasons());
        assertEquals(Boolean.TRUE, s.gates().get(1).window().frozen());
    }

    @Test
    void outsideFailRunsTheStageToFailAtItsWindowGate() {
        Plan p = at("2026-11-28T12:00:00Z");
        PlanStage s = stage(p, "strict");
        assertEquals(PlanStage.Status.RUN, s.status());
        assertEquals(List.of(), s.reasons());
        String gate = s.gates().stream().filter(g -> g.kind().equals("window")).findFirst().orElseThrow().summary();
        assertTrue(gate.endsWith("closed now, opens at 2026-11-30T09:00+01:00; the stage will fail here unless the window"
                + " is overridden"), gate);
        assertEquals(Boolean.FALSE, s.gates().stream().filter(g -> g.kind().equals("window")).findFirst().orElseThrow()
                .window().open());
        assertEquals(PlanStage.Status.RUN, stage(p, "after_strict").status());
    }

    @Test
    void approvalWaitsForItsApprovers() {
        PlanStage s = stage(at("2026-11-24T15:00:00Z"), "approved");
        assertEquals(PlanStage.Status.WAIT, s.status());
        assertEquals(List.of("needs 2 approvals from alice, bob, carol"), s.reasons());
        Gate g = s.gates().get(0);
        assertEquals("needs 2 approvals from alice, bob, carol; approvals expire after 24h; whoever starts the run "
                + "cannot approve it", g.summary());
        assertEquals(new Gate.ApprovalGate(List.of("alice", "bob", "carol"), 2, "24h", false,
                List.of("alice", "bob", "carol")), g.approval());
    }

    @Test
    void theTriggererCannotApproveTheirOwnRun() {
        PlanStage s = stage(by("alice"), "approved");
        assertEquals(List.of("needs 2 approvals from bob, carol (alice starts the run and cannot approve it)"), s.reasons());
        assertEquals(List.of("bob", "carol"), s.gates().get(0).approval().eligible());
        PlanStage outsider = stage(by("dave"), "approved");
        assertEquals(List.of("needs 2 approvals from alice, bob, carol"), outsider.reasons());
    }

    @Test
    void anApprovalThatCanNeverBeGivenSaysSo() {
        String text = """
                pipeline t
                on push
                environment p { approval { approvers ["alice", "bob"] required 2 } }
                stage d { deploy to p step "d" { sh "d" } }
                """;
        Plan p = plan(text, EventContext.builder(EventKind.PUSH, Plans.TUESDAY_10_NY).branch("main")
                .triggeredBy("alice").build());
        assertEquals(List.of("needs 2 approvals but only 1 of the approvers (bob) may approve (alice starts the run "
                + "and cannot approve it), so it can never be approved"), stage(p, "d").reasons());
    }

    @Test
    void approvalDefaultsToOneApprovalWithoutSelfApproval() {
        String text = """
                pipeline t
                on push
                environment p { approval { approvers ["alice"] } }
                stage d { deploy to p step "d" { sh "d" } }
                """;
        PlanStage s = stage(plan(text, Plans.push("main")), "d");
        assertEquals(new Gate.ApprovalGate(List.of("alice"), 1, null, false, List.of("alice")), s.gates().get(0).approval());
        assertEquals(List.of("needs 1 approval from alice"), s.reasons());
    }

    @Test
    void closedWindowAndApprovalBothExplainTheWait() {
        String text = """
                pipeline t
                on push
                environment p {
                  approval { approvers ["alice", "bob"] self_approval true }
                  window "Mon-Fri 09:00-17:00"
                }
                stage d { deploy to p step "d" { sh "d" } }
                """;
        PlanStage s = stage(plan(text, EventContext.push("main", Instant.parse("2026-11-24T20:00:00Z"))), "d");
        assertEquals(PlanStage.Status.WAIT, s.status());
        assertEquals(List.of("window closed; opens at 2026-11-25T09:00Z (UTC)", "needs 1 approval from alice, bob"),
                s.reasons());
        assertEquals(List.of("window", "approval"), s.gates().stream().map(Gate::kind).toList());
    }

    @Test
    void skippedStagesListTheirGatesButAreNotHeldByThem() {
        String text = """
                pipeline t
                on push
                environment p { approval { approvers ["alice"] } lock }
                stage d { when git.branch == "main" deploy to p step "d" { sh "d" } }
                """;
        PlanStage s = stage(plan(text, Plans.push("develop")), "d");
        assertEquals(PlanStage.Status.SKIP, s.status());
        assertEquals(List.of("when `git.branch == \"main\"` is false: git.branch = develop"), s.reasons());
        assertEquals(List.of("lock", "approval"), s.gates().stream().map(Gate::kind).toList());
    }
}
