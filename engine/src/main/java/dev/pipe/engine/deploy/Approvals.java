package dev.pipe.engine.deploy;

import dev.pipe.engine.plan.Gate;
import dev.pipe.lang.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of an environment's approval gate, as pure logic: which decisions a gate accepts
 * and where the gate stands. Nothing here reads a clock or a file; the caller records accepted
 * decisions (in the run's journal) and rebuilds the gate from them with {@link #replay}.
 *
 * <p>The rules, in the order {@link #validate} applies them, so a decision is refused for the
 * first that it breaks:
 * <ol>
 *   <li>a gate superseded by a newer run deploying to the same environment takes no decisions
 *       (and never deploys);</li>
 *   <li>a decision names the run, stage, environment, version and plan digest it approves; all
 *       five must be the gate's;</li>
 *   <li>a gate already approved or rejected takes no more decisions;</li>
 *   <li>a decision given at or after the gate's expiry ({@code expires} after it opened) is late;</li>
 *   <li>only listed approvers count (names are compared exactly);</li>
 *   <li>without {@code self_approval}, the person who started the run cannot approve it (compared
 *       without regard to case, so {@code Ada} cannot approve {@code ada}'s run); they may still
 *       reject it, if they are an approver;</li>
 *   <li>an approver approves at most once; {@code required} distinct approvers approve the gate;</li>
 *   <li>one rejection by an approver rejects the gate, even from someone who approved before.</li>
 * </ol>
 * Instances are immutable: {@link #record} and {@link #supersede} return a new gate.
 */
public final class Approvals {
    private final Policy policy;
    private final GateInstance gate;
    private final List<Decision> accepted;
    private final String supersededBy;

    /** A gate that has just opened: no decisions yet. */
    public Approvals(Policy policy, GateInstance gate) {
        this(policy, gate, List.of(), null);
    }

    private Approvals(Policy policy, GateInstance gate, List<Decision> accepted, String supersededBy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.accepted = List.copyOf(accepted);
        this.supersededBy = supersededBy;
    }

    /**
     * Rebuilds a gate from the decisions it accepted before (as a journal holds them), in order.
     *
     * @throws IllegalArgumentException when one of them would be refused now: the journal does
     *     not belong to this gate
     */
    public static Approvals replay(Policy policy, GateInstance gate, List<Decision> accepted, String supersededBy) {
        Approvals a = new Approvals(policy, gate);
        for (Decision d : accepted) {
            a = a.record(d);
        }
        return supersededBy == null ? a : a.supersede(supersededBy);
    }

    public Policy policy() {
        return policy;
    }

    public GateInstance gate() {
        return gate;
    }

    /** The decisions accepted so far, in the order they came. */
    public List<Decision> decisions() {
        return accepted;
    }

    public Optional<String> supersededBy() {
        return Optional.ofNullable(supersededBy);
    }

    /** Whether the gate would accept {@code decision}, or the one-sentence reason it refuses it. */
    public Validation validate(Decision decision) {
        Objects.requireNonNull(decision, "decision");
        String by = decision.by();
        Subject want = gate.subject();
        Subject named = decision.subject();
        String env = want.environment();
        if (supersededBy != null) {
            return refuse("run " + supersededBy + " superseded this run's deployment to " + env);
        }
        if (!named.runId().equals(want.runId())) {
            return refuse("this approval is for run " + named.runId() + ", but the gate belongs to run " + want.runId());
        }
        if (!named.stage().equals(want.stage())) {
            return refuse("this approval is for stage " + named.stage() + ", but the gate is stage " + want.stage() + "'s");
        }
        if (!named.environment().equals(env)) {
            return refuse("this approval is for " + named.environment() + ", but the gate guards " + env);
        }
        if (!Objects.equals(named.version(), want.version())) {
            return refuse("this approval names " + versionWords(named.version()) + ", but run " + want.runId()
                    + " deploys " + versionWords(want.version()) + " to " + env);
        }
        if (!Objects.equals(named.planDigest(), want.planDigest())) {
            String[] shown = shortDigests(named.planDigest(), want.planDigest());
            return refuse("this approval names " + (named.planDigest() == null ? "no plan digest" : "plan digest " + shown[0])
                    + ", but the run's plan is " + (want.planDigest() == null ? "without a digest" : shown[1]));
        }
        Optional<Decision> rejection = rejection();
        if (rejection.isPresent()) {
            return refuse("the gate was already rejected by " + rejection.get().by());
        }
        List<String> approvedBy = approvedBy();
        if (approvedBy.size() >= policy.required()) {
            return refuse("the gate is already approved (by " + names(approvedBy) + ")");
        }
        Optional<Instant> expiry = expiresAt();
        if (expiry.isPresent() && !decision.at().isBefore(expiry.get())) {
            return refuse("the approval gate expired at " + time(expiry.get()));
        }
        if (!policy.approvers().contains(by)) {
            String hint = policy.approvers().stream().anyMatch(a -> a.equalsIgnoreCase(by)) ? "; names are case-sensitive" : "";
            return refuse(by + " is not an approver of " + env + " (approvers: " + String.join(", ", policy.approvers()) + hint + ")");
        }
        if (decision.verdict() == Verdict.APPROVE) {
            if (!policy.selfApproval() && isTriggerer(by)) {
                return refuse(by + " started this run and " + env + " does not allow self-approval");
            }
            if (approvedBy.contains(by)) {
                return refuse(by + " already approved");
            }
        }
        return new Validation.Accepted();
    }

    /**
     * The gate with {@code decision} accepted.
     *
     * @throws IllegalArgumentException with the refusal of {@link #validate} as its message
     */
    public Approvals record(Decision decision) {
        if (validate(decision) instanceof Validation.Refused refused) {
            throw new IllegalArgumentException(refused.reason());
        }
        List<Decision> next = new ArrayList<>(accepted);
        next.add(decision);
        return new Approvals(policy, gate, next, supersededBy);
    }

    /**
     * The gate superseded by {@code runId}, a newer run deploying to the same environment: it
     * refuses every decision from now on and its state is {@link State.Superseded}, whatever it
     * was. The first run to supersede it is the one remembered.
     */
    public Approvals supersede(String runId) {
        Objects.requireNonNull(runId, "runId");
        return supersededBy != null ? this : new Approvals(policy, gate, accepted, runId);
    }

    /** When the gate expires, if its policy says it does. */
    public Optional<Instant> expiresAt() {
        return policy.expires().map(d -> gate.openedAt().plus(d));
    }

    /** Where the gate stands at {@code now}. Once approved, it stays approved after the expiry. */
    public State state(Instant now) {
        if (supersededBy != null) {
            return new State.Superseded(supersededBy);
        }
        Optional<Decision> rejection = rejection();
        if (rejection.isPresent()) {
            return new State.Rejected(rejection.get());
        }
        List<Decision> approvals = accepted.stream().filter(d -> d.verdict() == Verdict.APPROVE).toList();
        if (approvals.size() >= policy.required()) {
            return new State.Approved(approvals);
        }
        Optional<Instant> expiry = expiresAt();
        if (expiry.isPresent() && !now.isBefore(expiry.get())) {
            return new State.Expired(expiry.get(), approvedBy());
        }
        List<String> approvedBy = approvedBy();
        List<String> may = policy.approvers().stream()
                .filter(a -> !approvedBy.contains(a))
                .filter(a -> policy.selfApproval() || !isTriggerer(a))
                .toList();
        return new State.Pending(approvedBy, policy.required(), may, expiry);
    }

    private Optional<Decision> rejection() {
        return accepted.stream().filter(d -> d.verdict() == Verdict.REJECT).findFirst();
    }

    private List<String> approvedBy() {
        return accepted.stream().filter(d -> d.verdict() == Verdict.APPROVE).map(Decision::by).toList();
    }

    private boolean isTriggerer(String name) {
        return gate.triggeredBy() != null
                && gate.triggeredBy().strip().toLowerCase(Locale.ROOT).equals(name.strip().toLowerCase(Locale.ROOT));
    }

    private static Validation refuse(String reason) {
        return new Validation.Refused(reason);
    }

    private static String versionWords(String version) {
        return version == null ? "no version" : "version " + version;
    }

    /** Digests cut to 8 characters, or longer where needed to tell them apart. */
    private static String[] shortDigests(String a, String b) {
        int common = 0;
        if (a != null && b != null) {
            while (common < a.length() && common < b.length() && a.charAt(common) == b.charAt(common)) {
                common++;
            }
        }
        int keep = Math.max(8, common + 1);
        return new String[] {cut(a, keep), cut(b, keep)};
    }

    private static String cut(String digest, int keep) {
        return digest == null || digest.length() <= keep ? digest : digest.substring(0, keep) + "…";
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String names(List<String> names) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    // ------------------------------------------------------------------ the data

    /**
     * An environment's {@code approval { ... }}.
     *
     * @param approvers who may approve
     * @param required how many distinct approvers must approve
     * @param expires how long after the gate opens approvals may come; empty: for ever
     * @param selfApproval whether the person who started the run may approve it
     */
    public record Policy(List<String> approvers, int required, Optional<Duration> expires, boolean selfApproval) {
        public Policy {
            approvers = List.copyOf(approvers);
            Objects.requireNonNull(expires, "expires");
            if (required < 1) {
                throw new IllegalArgumentException("an approval gate needs at least one approval, not " + required);
            }
            if (expires.isPresent() && (expires.get().isNegative() || expires.get().isZero())) {
                throw new IllegalArgumentException("approvals cannot expire after " + expires.get());
            }
        }

        /** The policy a plan's approval gate describes. */
        public static Policy of(Gate.ApprovalGate gate) {
            return new Policy(gate.approvers(), gate.required(),
                    Optional.ofNullable(gate.expires()).map(Durations::parse), gate.selfApproval());
        }
    }

    /**
     * What an approval approves: a run's stage deploying a version, under a plan. A decision must
     * name all five as the gate has them.
     *
     * @param version the version the stage deploys, or null when its {@code deploy to} names none
     * @param planDigest the digest of the run's plan, so an approval never covers a changed plan
     */
    public record Subject(String runId, String stage, String environment, String version, String planDigest) {
        public Subject {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(environment, "environment");
        }
    }

    /**
     * One approval gate: a stage of a run waiting at an environment.
     *
     * @param triggeredBy who started the run, or null when unknown
     * @param openedAt when the stage reached the gate; the expiry counts from here
     */
    public record GateInstance(Subject subject, String triggeredBy, Instant openedAt) {
        public GateInstance {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(openedAt, "openedAt");
        }
    }

    public enum Verdict {
        APPROVE, REJECT
    }

    /**
     * Someone's approval or rejection of a deployment.
     *
     * @param by who decides, as they are named in the approvers list
     * @param at when they decided; it is compared with the gate's expiry
     * @param comment why, if they said
     * @param subject the deployment they decide on
     */
    public record Decision(Verdict verdict, String by, Instant at, String comment, Subject subject) {
        public Decision {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(subject, "subject");
            if (by == null || by.isBlank()) {
                throw new IllegalArgumentException("a decision must say who makes it");
            }
            by = by.strip();
        }

        public static Decision approve(String by, Instant at, String comment, Subject subject) {
            return new Decision(Verdict.APPROVE, by, at, comment, subject);
        }

        public static Decision reject(String by, Instant at, String comment, Subject subject) {
            return new Decision(Verdict.REJECT, by, at, comment, subject);
        }
    }

    /** What {@link #validate} says of a decision. */
    public sealed interface Validation {
        /** The gate takes the decision. */
        record Accepted() implements Validation {
        }

        /** The gate refuses it; {@code reason} is one sentence without a final full stop. */
        record Refused(String reason) implements Validation {
        }
    }

    /** Where a gate stands. */
    public sealed interface State {
        /** One sentence for people, such as "approved by alice and bob". */
        String describe();

        /** Whether the stage may go on and deploy. */
        default boolean approved() {
            return this instanceof Approved;
        }

        /**
         * Waiting for approvals.
         *
         * @param approvedBy who approved so far
         * @param mayStillApprove approvers who have not approved and are allowed to
         */
        record Pending(List<String> approvedBy, int required, List<String> mayStillApprove,
                Optional<Instant> expiresAt) implements State {
            public Pending {
                approvedBy = List.copyOf(approvedBy);
                mayStillApprove = List.copyOf(mayStillApprove);
            }

            public int missing() {
                return required - approvedBy.size();
            }

            /** Whether enough approvers are left who may still approve. */
            public boolean possible() {
                return mayStillApprove.size() >= missing();
            }

            @Override
            public String describe() {
                int missing = missing();
                String have = approvedBy.isEmpty() ? ""
                        : " (" + approvedBy.size() + " of " + required + " so far: " + names(approvedBy) + ")";
                String expiry = expiresAt.map(t -> "; the gate expires at " + time(t)).orElse("");
                if (!possible()) {
                    return "waiting for " + missing + " more " + (missing == 1 ? "approval" : "approvals") + have
                            + ", but " + (mayStillApprove.isEmpty() ? "nobody" : "only " + names(mayStillApprove))
                            + " may still approve, so it can never be approved";
                }
                return "waiting for " + missing + " more " + (missing == 1 ? "approval" : "approvals") + have
                        + " from " + (missing == mayStillApprove.size() ? names(mayStillApprove) : or(mayStillApprove))
                        + expiry;
            }

            private static String or(List<String> names) {
                return names.size() <= 1 ? String.join("", names)
                        : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            }
        }

        /** Enough approvers approved; the stage may deploy. */
        record Approved(List<Decision> approvals) implements State {
            public Approved {
                approvals = List.copyOf(approvals);
            }

            @Override
            public String describe() {
                return "approved by " + names(approvals.stream().map(Decision::by).toList());
            }
        }

        /** An approver rejected the deployment; the stage fails and deploys nothing. */
        record Rejected(Decision rejection) implements State {
            @Override
            public String describe() {
                String why = rejection.comment() == null || rejection.comment().isBlank() ? "" : ": " + rejection.comment();
                return "rejected by " + rejection.by() + why;
            }
        }

        /** Not approved in time; the stage fails and deploys nothing. */
        record Expired(Instant at, List<String> approvedBy) implements State {
            public Expired {
                approvedBy = List.copyOf(approvedBy);
            }

            @Override
            public String describe() {
                return "the approval gate expired at " + time(at)
                        + (approvedBy.isEmpty() ? " without approvals" : " with approvals from " + names(approvedBy) + " only");
            }
        }

        /** A newer run deploying to the same environment took over; this one never deploys. */
        record Superseded(String byRun) implements State {
            @Override
            public String describe() {
                return "superseded by run " + byRun;
            }
        }
    }
}
