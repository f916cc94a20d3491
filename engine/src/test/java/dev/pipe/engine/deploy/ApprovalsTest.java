package dev.pipe.engine.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.deploy.Approvals.Decision;
import dev.pipe.engine.deploy.Approvals.GateInstance;
import dev.pipe.engine.deploy.Approvals.Policy;
import dev.pipe.engine.deploy.Approvals.State;
import dev.pipe.engine.deploy.Approvals.Subject;
import dev.pipe.engine.deploy.Approvals.Validation;
import dev.pipe.engine.plan.Gate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApprovalsTest {
    private static final Instant OPENED = Instant.parse("2026-11-24T15:00:00Z");
    private static final String DIGEST = "9c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c";
    private static final Subject SUBJECT = new Subject("20261124-150000-ab3d", "deploy_production", "production", "v1.4.0", DIGEST);

    /** approvers alice, bob, carol; required 2; expires 24h; self_approval false; ada starts the run. */
    private static Approvals gate() {
        return gate(new Policy(List.of("alice", "bob", "carol"), 2, Optional.of(Duration.ofHours(24)), false), "ada");
    }

    private static Approvals gate(Policy policy, String triggeredBy) {
        return new Approvals(policy, new GateInstance(SUBJECT, triggeredBy, OPENED));
    }

    private static Decision approve(String by, long minutes) {
        return Decision.approve(by, OPENED.plusSeconds(60 * minutes), null, SUBJECT);
    }

    private static Decision reject(String by, long minutes, String comment) {
        return Decision.reject(by, OPENED.plusSeconds(60 * minutes), comment, SUBJECT);
    }

    private static String refusal(Approvals gate, Decision d) {
        Validation v = gate.validate(d);
        assertTrue(v instanceof Validation.Refused, "expected a refusal, got " + v);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gate.record(d));
        assertEquals(((Validation.Refused) v).reason(), e.getMessage());
        return e.getMessage();
    }

    private static Instant at(long minutes) {
        return OPENED.plusSeconds(60 * minutes);
    }

    @Test
    void requiredDistinctApproversApprove() {
        Approvals g = gate();
        State start = g.state(at(0));
        assertEquals(new State.Pending(List.of(), 2, List.of("alice", "bob", "carol"), Optional.of(at(24 * 60))), start);
        assertEquals("waiting for 2 more approvals from alice, bob or carol; the gate expires at 2026-11-25T15:00:00Z",
                start.describe());

        g = g.record(approve("bob", 5));
        State.Pending one = (State.Pending) g.state(at(6));
        assertEquals(List.of("bob"), one.approvedBy());
        assertEquals(List.of("alice", "carol"), one.mayStillApprove());
        assertEquals(1, one.missing());
        assertEquals("waiting for 1 more approval (1 of 2 so far: bob) from alice or carol; "
                + "the gate expires at 2026-11-25T15:00:00Z", one.describe());
        assertFalse(one.approved());

        g = g.record(approve("carol", 7));
        State done = g.state(at(8));
        assertTrue(done.approved());
        assertEquals(List.of(approve("bob", 5), approve("carol", 7)), ((State.Approved) done).approvals());
        assertEquals("approved by bob and carol", done.describe());
        assertTrue(g.state(at(48 * 60)).approved(), "an approved gate stays approved after its expiry");
        assertEquals("the gate is already approved (by bob and carol)", refusal(g, approve("alice", 9)));
    }

    @Test
    void onlyListedApproversCount() {
        assertEquals("mallory is not an approver of production (approvers: alice, bob, carol)",
                refusal(gate(), approve("mallory", 1)));
        assertEquals("Alice is not an approver of production (approvers: alice, bob, carol; names are case-sensitive)",
                refusal(gate(), approve("Alice", 1)));
        assertEquals("mallory is not an approver of production (approvers: alice, bob, carol)",
                refusal(gate(), reject("mallory", 1, "no")));
    }

    @Test
    void theTriggererCannotApproveWithoutSelfApproval() {
        Approvals g = gate(new Policy(List.of("ada", "bob"), 1, Optional.empty(), false), "ada");
        assertEquals("ada started this run and production does not allow self-approval", refusal(g, approve("ada", 1)));
        Approvals capital = gate(new Policy(List.of("Ada", "bob"), 1, Optional.empty(), false), "ada");
        assertEquals("Ada started this run and production does not allow self-approval",
                refusal(capital, approve("Ada", 1)));
        assertEquals(List.of("bob"), ((State.Pending) g.state(at(1))).mayStillApprove());
        // The triggerer may still stop their own deployment.
        assertEquals(new Validation.Accepted(), g.validate(reject("ada", 1, "wrong tag")));
    }

    @Test
    void theTriggererMayApproveWithSelfApproval() {
        Approvals g = gate(new Policy(List.of("ada", "bob"), 1, Optional.empty(), true), "ada");
        assertTrue(g.record(approve("ada", 1)).state(at(1)).approved());
    }

    @Test
    void anApproverApprovesOnce() {
        Approvals g = gate().record(approve("bob", 1));
        assertEquals("bob already approved", refusal(g, approve("bob", 2)));
        assertEquals(1, ((State.Pending) g.state(at(3))).approvedBy().size());
    }

    @Test
    void oneRejectionByAnApproverRejectsTheGate() {
        Approvals g = gate().record(approve("bob", 1)).record(reject("bob", 2, "the changelog mentions a migration"));
        State s = g.state(at(3));
        assertEquals(new State.Rejected(reject("bob", 2, "the changelog mentions a migration")), s);
        assertEquals("rejected by bob: the changelog mentions a migration", s.describe());
        assertFalse(s.approved());
        assertEquals("the gate was already rejected by bob", refusal(g, approve("alice", 4)));
    }

    @Test
    void aGateExpiresAfterItsDuration() {
        Approvals g = gate().record(approve("alice", 60));
        assertEquals(new Validation.Accepted(), g.validate(approve("bob", 24 * 60 - 1)));
        assertEquals("the approval gate expired at 2026-11-25T15:00:00Z", refusal(g, approve("bob", 24 * 60)));
        assertTrue(g.state(at(24 * 60 - 1)) instanceof State.Pending);
        State s = g.state(at(24 * 60));
        assertEquals(new State.Expired(at(24 * 60), List.of("alice")), s);
        assertEquals("the approval gate expired at 2026-11-25T15:00:00Z with approvals from alice only", s.describe());
        Approvals never = gate(new Policy(List.of("alice"), 1, Optional.empty(), false), "ada");
        assertTrue(never.state(at(365L * 24 * 60)) instanceof State.Pending);
        assertEquals(Optional.empty(), never.expiresAt());
    }

    @Test
    void aSupersededGateTakesNoDecisionsAndNeverDeploys() {
        Approvals g = gate().record(approve("alice", 1)).record(approve("bob", 2)).supersede("20261124-160000-zz9k");
        assertEquals("run 20261124-160000-zz9k superseded this run's deployment to production",
                refusal(g, approve("carol", 3)));
        State s = g.state(at(3));
        assertEquals(new State.Superseded("20261124-160000-zz9k"), s);
        assertFalse(s.approved(), "even a gate that had its approvals");
        assertEquals("superseded by run 20261124-160000-zz9k", s.describe());
        assertEquals(Optional.of("20261124-160000-zz9k"), g.supersede("later").supersededBy());
    }

    @Test
    void aDecisionForAnotherPlanOrVersionIsRefused() {
        Subject otherPlan = new Subject(SUBJECT.runId(), SUBJECT.stage(), "production", "v1.4.0",
                "3f2a0c1b" + DIGEST.substring(8));
        assertEquals("this approval names plan digest 3f2a0c1b…, but the run's plan is 9c1b2d3e…",
                refusal(gate(), Decision.approve("alice", at(1), null, otherPlan)));
        Subject close = new Subject(SUBJECT.runId(), SUBJECT.stage(), "production", "v1.4.0",
                DIGEST.substring(0, 10) + "ff" + DIGEST.substring(12));
        assertEquals("this approval names plan digest 9c1b2d3e4ff…, but the run's plan is 9c1b2d3e4f5…",
                refusal(gate(), Decision.approve("alice", at(1), null, close)));
        Subject noDigest = new Subject(SUBJECT.runId(), SUBJECT.stage(), "production", "v1.4.0", null);
        assertEquals("this approval names no plan digest, but the run's plan is 9c1b2d3e…",
                refusal(gate(), Decision.approve("alice", at(1), null, noDigest)));

        Subject otherVersion = new Subject(SUBJECT.runId(), SUBJECT.stage(), "production", "v1.3.9", DIGEST);
        assertEquals("this approval names version v1.3.9, but run 20261124-150000-ab3d deploys version v1.4.0 to production",
                refusal(gate(), Decision.approve("alice", at(1), null, otherVersion)));
    }

    @Test
    void aDecisionForAnotherRunStageOrEnvironmentIsRefused() {
        assertEquals("this approval is for run 20261124-140000-aaaa, but the gate belongs to run 20261124-150000-ab3d",
                refusal(gate(), Decision.approve("alice", at(1), null,
                        new Subject("20261124-140000-aaaa", "deploy_production", "production", "v1.4.0", DIGEST))));
        assertEquals("this approval is for stage rollback_production, but the gate is stage deploy_production's",
                refusal(gate(), Decision.approve("alice", at(1), null,
                        new Subject(SUBJECT.runId(), "rollback_production", "production", "v1.4.0", DIGEST))));
        assertEquals("this approval is for staging, but the gate guards production",
                refusal(gate(), Decision.approve("alice", at(1), null,
                        new Subject(SUBJECT.runId(), "deploy_production", "staging", "v1.4.0", DIGEST))));
    }

    @Test
    void aGateThatNotEnoughPeopleMayApproveSaysItCanNeverBeApproved() {
        Approvals g = gate(new Policy(List.of("ada", "bob"), 2, Optional.empty(), false), "ada");
        State.Pending p = (State.Pending) g.state(at(0));
        assertFalse(p.possible());
        assertEquals("waiting for 2 more approvals, but only bob may still approve, so it can never be approved",
                p.describe());
    }

    @Test
    void aGateIsRebuiltFromTheDecisionsItAccepted() {
        List<Decision> journal = List.of(approve("alice", 1), approve("carol", 2));
        Approvals g = Approvals.replay(gate().policy(), gate().gate(), journal, null);
        assertEquals(journal, g.decisions());
        assertTrue(g.state(at(3)).approved());
        assertTrue(Approvals.replay(gate().policy(), gate().gate(), journal, "r2").state(at(3)) instanceof State.Superseded);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Approvals.replay(gate().policy(), gate().gate(), List.of(approve("alice", 1), approve("alice", 2)), null));
        assertEquals("alice already approved", e.getMessage());
    }

    @Test
    void thePolicyComesFromThePlansGate() {
        Policy p = Policy.of(new Gate.ApprovalGate(List.of("alice", "bob"), 2, "1d12h", false, List.of("bob")));
        assertEquals(new Policy(List.of("alice", "bob"), 2, Optional.of(Duration.ofHours(36)), false), p);
        assertEquals(Optional.empty(), Policy.of(new Gate.ApprovalGate(List.of("alice"), 1, null, true, List.of("alice"))).expires());
        assertThrows(IllegalArgumentException.class, () -> new Policy(List.of("alice"), 0, Optional.empty(), false));
    }

    @Test
    void aDecisionSaysWhoMakesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> approve(" ", 1));
        assertEquals("a decision must say who makes it", e.getMessage());
        assertEquals("bob", approve("  bob ", 1).by());
    }
}
