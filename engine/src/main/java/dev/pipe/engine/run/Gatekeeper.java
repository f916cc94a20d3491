package dev.pipe.engine.run;

import dev.pipe.engine.deploy.Approvals;
import dev.pipe.engine.deploy.EnvironmentLock;
import dev.pipe.engine.deploy.LockWaitCancelledException;
import dev.pipe.engine.plan.Gate;
import dev.pipe.engine.plan.Gates;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.time.Window;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The gates a deploying stage passes before its steps, in order: the environment's lock, its
 * window, its approval. Each gate that makes the stage wait says so through the
 * {@link Listener} (which journals it); a gate that cannot be passed fails the stage with one
 * sentence; an approval nobody has given yet either waits (on a terminal, or with
 * {@code --wait}) or pauses the run, which {@code pipe resume} continues once the decisions
 * are in.
 *
 * <p>The lock, once taken, is held until {@link Admission#release}: through the steps, verify
 * and rollback. A run that pauses for approvals gives the lock back, since it deploys nothing
 * while it waits, and queues for it again when it resumes.
 */
public final class Gatekeeper {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm z");

    /** Told of every gate a stage waits at or passes, before the stage goes on. */
    public interface Listener {
        /**
         * The stage waits at {@code gate} (lock, window, approval) to deploy {@code version} (null
         * when it names none) to {@code environment}; {@code detail} says for what.
         */
        void waiting(String stage, String gate, String detail, String environment, String version);

        /** The stage passed {@code gate}. */
        void passed(String stage, String gate, String detail);

        /** A decision the approval gate accepted, the first time the gate sees it. */
        void decision(String stage, Approvals.Decision decision);

        Listener NONE = new Listener() {
            @Override
            public void waiting(String stage, String gate, String detail, String environment, String version) {
            }

            @Override
            public void passed(String stage, String gate, String detail) {
            }

            @Override
            public void decision(String stage, Approvals.Decision decision) {
            }
        };
    }

    /** Where the approval decisions given for a run come from ({@code pipe approve}, {@code pipe reject}, a prompt). */
    public interface Decisions {
        /** Every decision given for the stage so far, in the order given, accepted or not. */
        List<Approvals.Decision> of(String stage) throws IOException;

        /** The run's latest rival for the environment: a newer run that reached its approval gate, or empty. */
        default Optional<String> supersededBy(String environment, String runId) throws IOException {
            return Optional.empty();
        }

        /** Notes that this run's stage now waits for approvals to deploy to the environment, since {@code at}. */
        default void opened(String environment, String runId, String stage, Instant at) throws IOException {
        }
    }

    /**
     * Asks a person at a terminal for a decision, and records it where {@link Decisions} reads
     * it. Returns empty when nobody can answer (no terminal), so the run pauses instead.
     */
    public interface Prompt {
        Optional<Approvals.Decision> ask(String stage, Approvals gate, Approvals.State.Pending pending,
                Cancellation cancel) throws InterruptedException;

        Prompt NONE = (stage, gate, pending, cancel) -> Optional.empty();
    }

    /**
     * How the run was asked to treat its gates.
     *
     * @param runId the run's id, which tickets and approvals name
     * @param triggeredBy who started the run: self-approval is judged against it
     * @param planDigest the digest of the run's plan, which approvals name
     * @param overrideWindow the reason given with {@code --override-window}, or null
     * @param waitForApprovals {@code --wait}: keep waiting for approvals instead of pausing
     * @param poll how often a waiting gate looks again at decisions
     */
    public record Options(String runId, String triggeredBy, String planDigest, String overrideWindow,
            boolean waitForApprovals, Duration poll) {
    }

    /** How a stage came out of its gates. */
    public enum Verdict {
        PASSED,
        /** A gate refused the stage: outside a window that says fail, rejected, expired, superseded. */
        FAILED,
        /** Approvals are missing and nobody can give them now: the run pauses. */
        WAITING,
        CANCELLED
    }

    /**
     * @param reason why the stage did not pass; null when it did
     * @param approvals the decisions the approval gate accepted
     * @param windowOverride the override reason when the stage went through a closed window
     */
    public record Admission(Verdict verdict, String reason, List<Approvals.Decision> approvals, String windowOverride,
            EnvironmentLock.Held lock) {
        /** Gives the environment's lock back, if the stage holds it. */
        public void release() {
            if (lock != null) {
                try {
                    lock.release();
                } catch (IOException e) {
                    throw new UncheckedIOException("pipe could not release the lock of the environment", e);
                }
            }
        }
    }

    private final Path stateDir;
    private final Clock clock;
    private final Clock approvalClock;
    private final StageRunner.Sleeper sleeper;
    private final Listener listener;
    private final Decisions decisions;
    private final Prompt prompt;
    private final Options options;

    public Gatekeeper(Path stateDir, Clock clock, StageRunner.Sleeper sleeper, Listener listener, Decisions decisions,
            Prompt prompt, Options options) {
        this(stateDir, clock, clock, sleeper, listener, decisions, prompt, options);
    }

    /**
     * @param clock what windows are judged by: shifted by {@code --at} to try a deployment at another time
     * @param approvalClock what approvals are judged by (when the gate opened, whether it expired):
     *     the real time, since people approve in it and {@code pipe approve} stamps their decisions with it
     */
    public Gatekeeper(Path stateDir, Clock clock, Clock approvalClock, StageRunner.Sleeper sleeper, Listener listener,
            Decisions decisions, Prompt prompt, Options options) {
        this.stateDir = stateDir;
        this.clock = clock;
        this.approvalClock = approvalClock;
        this.sleeper = sleeper;
        this.listener = listener;
        this.decisions = decisions;
        this.prompt = prompt;
        this.options = options;
    }

    /**
     * Takes the stage through its environment's gates.
     *
     * @param version the version the stage deploys, as evaluated now, or null
     * @param openedAt when the stage first waited for approvals in an earlier attempt of the run, or null
     */
    public Admission admit(PlanStage instance, Environment env, String version, Instant openedAt, Cancellation cancel)
            throws InterruptedException {
        String stage = instance.name();
        String name = env.name().name();
        EnvironmentLock.Held[] held = {null};
        boolean done = false;
        try {
            if (env.locked()) {
                held[0] = lock(stage, name, version, cancel);
                if (held[0] == null) {
                    return new Admission(Verdict.CANCELLED, "cancelled while waiting for the lock of " + name, List.of(),
                            null, null);
                }
            }
            String override = null;
            if (env.window() != null) {
                Admission w = window(stage, env, version, cancel);
                if (w.verdict() != Verdict.PASSED) {
                    return w;
                }
                override = w.windowOverride();
            }
            Admission result;
            if (env.approval() != null) {
                Gate.ApprovalGate gate = instance.gates().stream().filter(g -> g.approval() != null).map(Gate::approval)
                        .findFirst().orElseThrow(() -> new IllegalStateException("the plan has no approval gate for " + stage));
                // Waiting for people can take hours: the lock is given back meanwhile, so that
                // other runs (and `pipe rollback`) can deploy, and taken again once approved.
                boolean[] released = {false};
                Runnable letGo = () -> {
                    if (held[0] != null) {
                        release(held[0]);
                        held[0] = null;
                        released[0] = true;
                    }
                };
                result = approval(instance, name, gate, version, openedAt, cancel, letGo);
                if (result.verdict() == Verdict.PASSED && released[0]) {
                    held[0] = lock(stage, name, version, cancel);
                    if (held[0] == null) {
                        return new Admission(Verdict.CANCELLED, "cancelled while waiting for the lock of " + name,
                                List.of(), null, null);
                    }
                    if (env.window() != null) {
                        Admission w = window(stage, env, version, cancel);
                        if (w.verdict() != Verdict.PASSED) {
                            return w;
                        }
                        override = w.windowOverride();
                    }
                }
                result = new Admission(result.verdict(), result.reason(), result.approvals(), override,
                        result.verdict() == Verdict.PASSED ? held[0] : null);
            } else {
                result = new Admission(Verdict.PASSED, null, List.of(), override, held[0]);
            }
            done = result.verdict() == Verdict.PASSED;
            return result;
        } finally {
            if (!done && held[0] != null) {
                release(held[0]);
            }
        }
    }

    /** Queues for the environment's lock; null when cancelled while waiting. */
    private EnvironmentLock.Held lock(String stage, String name, String version, Cancellation cancel)
            throws InterruptedException {
        EnvironmentLock lock = new EnvironmentLock(stateDir, name);
        boolean[] waited = {false};
        EnvironmentLock.Held held;
        try {
            held = lock.acquire(options.runId(), stage, cancel::isCancelled, w -> {
                waited[0] = true;
                listener.waiting(stage, "lock", w.describe(name), name, version);
            });
        } catch (LockWaitCancelledException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("pipe could not take the lock of " + name, e);
        }
        listener.passed(stage, "lock", "holds the lock of " + name + (waited[0] ? " after waiting" : ""));
        return held;
    }

    private static void release(EnvironmentLock.Held held) {
        try {
            held.release();
        } catch (IOException e) {
            // The next run that queues finds the ticket of a process that is gone, or ours on resume.
        }
    }

    private Admission window(String stage, Environment env, String version, Cancellation cancel)
            throws InterruptedException {
        String name = env.name().name();
        Window window = Gates.window(env.window(), name);
        boolean fail = env.window().outside() == Environment.OutsideAction.FAIL;
        boolean waited = false;
        while (true) {
            Instant now = clock.instant();
            if (window.isOpen(now)) {
                listener.passed(stage, "window", "the window of " + name + " is open" + (waited ? " now" : ""));
                return new Admission(Verdict.PASSED, null, List.of(), null, null);
            }
            Optional<Instant> opens = window.nextOpening(now);
            String next = opens.map(o -> "it opens at " + time(o, window.zone())).orElse("it never opens again");
            if (options.overrideWindow() != null) {
                listener.passed(stage, "window", "the window of " + name + " is closed (" + next + "), overridden: "
                        + options.overrideWindow());
                return new Admission(Verdict.PASSED, null, List.of(), options.overrideWindow(), null);
            }
            if (fail || opens.isEmpty()) {
                return new Admission(Verdict.FAILED, "the window of " + name + " is closed and "
                        + (fail ? "the environment says outside fail; " : "") + next
                        + "; deploy then, or pass --override-window --reason TEXT", List.of(), null, null);
            }
            if (!waited) {
                listener.waiting(stage, "window", "the window of " + name + " is closed; " + next, name, version);
                waited = true;
            }
            Duration left = Duration.between(now, opens.get());
            // Sleep in slices, so that a clock that jumps (a laptop waking up) is noticed.
            sleeper.sleep(left.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : left.plusMillis(1), cancel);
            if (cancel.isCancelled()) {
                return new Admission(Verdict.CANCELLED, "cancelled while waiting for the window of " + name, List.of(),
                        null, null);
            }
        }
    }

    /** @param letGo called before the gate waits for people (a prompt, or polling with --wait) */
    private Admission approval(PlanStage instance, String env, Gate.ApprovalGate gate, String version, Instant openedAt,
            Cancellation cancel, Runnable letGo) throws InterruptedException {
        String stage = instance.name();
        Instant opened = openedAt != null ? openedAt : approvalClock.instant();
        Approvals.Subject subject = new Approvals.Subject(options.runId(), stage, env, version, options.planDigest());
        Approvals.GateInstance instanceOfGate = new Approvals.GateInstance(subject, options.triggeredBy(), opened);
        Approvals.Policy policy = Approvals.Policy.of(gate);
        int seen = 0;
        boolean announced = false;
        try {
            decisions.opened(env, options.runId(), stage, opened);
            while (true) {
                Approvals approvals = new Approvals(policy, instanceOfGate);
                Optional<String> rival = decisions.supersededBy(env, options.runId());
                if (rival.isPresent()) {
                    approvals = approvals.supersede(rival.get());
                }
                List<Approvals.Decision> given = decisions.of(stage);
                int accepted = 0;
                for (Approvals.Decision d : given) {
                    if (approvals.validate(d) instanceof Approvals.Validation.Accepted) {
                        approvals = approvals.record(d);
                        accepted++;
                        if (accepted > seen) {
                            listener.decision(stage, d);
                            seen = accepted;
                        }
                    }
                }
                Approvals.State state = approvals.state(approvalClock.instant());
                switch (state) {
                    case Approvals.State.Approved a -> {
                        listener.passed(stage, "approval", state.describe());
                        return new Admission(Verdict.PASSED, null, approvals.decisions(), null, null);
                    }
                    case Approvals.State.Pending p -> {
                        if (!p.possible()) {
                            return new Admission(Verdict.FAILED, "the approval of " + env + " cannot be met: "
                                    + state.describe(), approvals.decisions(), null, null);
                        }
                        if (!announced) {
                            listener.waiting(stage, "approval", state.describe(), env, version);
                            announced = true;
                        }
                        if (prompt != Prompt.NONE) {
                            letGo.run();
                        }
                        Optional<Approvals.Decision> asked = prompt.ask(stage, approvals, p, cancel);
                        if (cancel.isCancelled()) {
                            return new Admission(Verdict.CANCELLED, "cancelled while waiting for approvals", List.of(),
                                    null, null);
                        }
                        if (asked.isPresent()) {
                            Approvals.Validation v = approvals.validate(asked.get());
                            if (v instanceof Approvals.Validation.Refused r) {
                                listener.waiting(stage, "approval", "refused: " + r.reason(), env, version);
                            }
                            continue;
                        }
                        if (!options.waitForApprovals()) {
                            return new Admission(Verdict.WAITING, "waits for approval to deploy to " + env + ": "
                                    + state.describe(), approvals.decisions(), null, null);
                        }
                        letGo.run();
                        sleeper.sleep(options.poll(), cancel);
                        if (cancel.isCancelled()) {
                            return new Admission(Verdict.CANCELLED, "cancelled while waiting for approvals", List.of(),
                                    null, null);
                        }
                    }
                    default -> {
                        return new Admission(Verdict.FAILED, state.describe(), approvals.decisions(), null, null);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pipe could not read the approvals of run " + options.runId(), e);
        }
    }

    private static String time(Instant t, ZoneId zone) {
        return MINUTES.format(t.atZone(zone));
    }

}
