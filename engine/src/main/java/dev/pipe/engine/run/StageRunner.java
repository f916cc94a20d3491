package dev.pipe.engine.run;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Explained;
import dev.pipe.engine.eval.ExprText;
import dev.pipe.engine.eval.Observation;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.UnknownValueException;
import dev.pipe.engine.eval.Value;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.verify.Verifier;
import dev.pipe.engine.verify.VerifyResult;
import dev.pipe.engine.verify.VerifySpec;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.plan.PlanStep;
import dev.pipe.engine.plan.Planner;
import dev.pipe.engine.plan.RunFacts;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.time.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the steps of one stage instance, in order, with an {@link Executor}.
 *
 * <p>Rules, step by step: a step already finished in an earlier attempt of the run
 * ({@code resumed}) is not run again and its outputs stay visible. A step's {@code when} is
 * decided now; false skips it. {@code sh} runs through the {@link Executor}; other step
 * functions run through the {@link StepFunction}s the runner was given, and one it was not given
 * fails the step before anything runs ({@link #unsupportedSteps} lets a run refuse such a
 * pipeline up front). {@code retry N} allows N more attempts after a failure, waiting
 * {@code backoff} (1s by default) before the first retry and twice as long before each next one;
 * nothing is retried after a cancel. Each attempt gets a fresh empty $PIPE_OUTPUT file; after a
 * success it is parsed with {@link StepOutputs}, and a malformed file fails the attempt; then it
 * is deleted. A failed
 * step that does not allow failure stops the stage: later steps are skipped.
 *
 * <p>Then the stage's {@code output}s are evaluated; one that reads a step output the step did
 * not write fails the stage, naming both. {@code finally} steps run last, always, also after a
 * failure or a cancel, under a cancellation of their own (their timeouts still apply); their
 * failure fails the stage. The stage's timeout cancels its steps, and the stage fails.
 *
 * <p>A stage that names a runner other than {@code local} runs all of that, finally and rollback
 * included, in the place its {@link Placement} opens for it (a container), which is closed when
 * the stage ends; a place that cannot be made fails the stage before any step.
 */
public final class StageRunner {
    /** Waits between attempts; returns early when {@code cancel} is cancelled. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d, Cancellation cancel) throws InterruptedException;

        Sleeper REAL = (d, cancel) -> {
            CountDownLatch latch = new CountDownLatch(1);
            Runnable off = cancel.onCancel(latch::countDown);
            try {
                latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                off.run();
            }
        };
    }

    /**
     * @param result the stage's outcome and reason, as the {@link DagScheduler} expects it
     * @param outputs the stage's outputs ({@code output NAME = ...}); empty unless it succeeded
     * @param stepOutputs the outputs of each step that succeeded, resumed ones included
     */
    public record Outcome(DagScheduler.Result result, Map<String, String> outputs,
            Map<String, Map<String, String>> stepOutputs, boolean rollbackFailed) {
        public Outcome {
            outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
            stepOutputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stepOutputs));
        }

        public Outcome(DagScheduler.Result result, Map<String, String> outputs, Map<String, Map<String, String>> stepOutputs) {
            this(result, outputs, stepOutputs, false);
        }
    }

    /**
     * What a runner needs to deploy: the environment's history, the gates, verify, a clock.
     * Without it (tests of plain stages), a stage that deploys runs its steps like any other.
     */
    public interface Deployments {
        Gatekeeper gatekeeper();

        Verifier verifier();

        java.time.Clock clock();

        /** When the stage first waited for approvals in an earlier attempt of the run, or null. */
        java.util.function.Function<String, Instant> approvalOpenedAt();

        /** The last successful deployment of the environment before this run: {@code previous.version}. */
        Optional<Deployment> previous(String environment, String runId);

        /** Writes the attempt to the environment's history. */
        void record(Deployment deployment);

        String runId();

        String triggeredBy();

        String planDigest();
    }

    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);

    private final Program program;
    /** The program's stages by name: looked up once per stage instance, so a scan would cost O(stages) each time. */
    private final Map<String, Stage> stages = new HashMap<>();
    private final EventContext ctx;
    private final Path pipeDir;
    private final Map<String, String> baseEnv;
    private final Path tempDir;
    private final AtomicLong outputFiles = new AtomicLong();
    /** Emptied $PIPE_OUTPUT files of finished steps, for the next ones. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Path> spareOutputFiles = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** $PIPE_OUTPUT files are readable by their owner only, where the file system has POSIX permissions. */
    private final FileAttribute<?>[] outputFileAttributes;
    private final Executor executor;
    private final StageListener listener;
    private final Sleeper sleeper;
    private final Map<String, StepFunction> functions;
    /** Where the deployments come from; null when this runner deploys nothing. */
    private java.util.function.Supplier<Deployments> deploymentsSource;
    private final Object deploymentsLock = new Object();
    private Deployments deployments;
    private Placement placement;

    /**
     * @param program the checked program the plan was made from
     * @param ctx the event the plan was made for
     * @param pipeDir the directory of the .pipe file: where steps run unless the stage says {@code workdir}
     * @param baseEnv the environment every step starts from (PATH, HOME...)
     * @param tempDir the run's temporary directory, for $PIPE_OUTPUT files
     */
    public StageRunner(Program program, EventContext ctx, Path pipeDir, Map<String, String> baseEnv, Path tempDir,
            Executor executor, StageListener listener, Sleeper sleeper) {
        this(program, ctx, pipeDir, baseEnv, tempDir, executor, listener, sleeper, List.of());
    }

    /** @param functions the step functions besides {@code sh} that steps may call */
    public StageRunner(Program program, EventContext ctx, Path pipeDir, Map<String, String> baseEnv, Path tempDir,
            Executor executor, StageListener listener, Sleeper sleeper, List<StepFunction> functions) {
        this.functions = new LinkedHashMap<>();
        functions.forEach(f -> this.functions.put(f.name(), f));
        this.program = program;
        for (Stage stage : program.stages()) {
            stages.putIfAbsent(stage.name().name(), stage);
        }
        this.ctx = ctx;
        this.pipeDir = pipeDir;
        this.baseEnv = Map.copyOf(baseEnv);
        this.tempDir = tempDir;
        this.outputFileAttributes = tempDir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        this.executor = executor;
        this.listener = listener;
        this.sleeper = sleeper;
    }

    /** Lets stages that deploy pass their gates, verify, roll back and record what they did. */
    public StageRunner withDeployments(Deployments deployments) {
        return withDeployments(deployments == null ? null : () -> deployments);
    }

    /** As {@link #withDeployments(Deployments)}, made when a stage first deploys: a run that deploys nothing does not pay for them. */
    public StageRunner withDeployments(java.util.function.Supplier<Deployments> source) {
        this.deploymentsSource = source;
        this.deployments = null;
        return this;
    }

    private Deployments deployments() {
        synchronized (deploymentsLock) {
            if (deployments == null) {
                deployments = deploymentsSource.get();
            }
            return deployments;
        }
    }

    /**
     * Lets stages that name a runner other than {@code local} run their steps there: the place
     * is opened before the first step and closed after the last. Without it such a stage's
     * steps run through the runner's executor like any other's.
     */
    public StageRunner withPlacement(Placement placement) {
        this.placement = placement;
        return this;
    }

    /**
     * Everything in the plan this version cannot run, one sentence each; empty when it can run
     * it all. Stages the plan skips are not looked at.
     */
    public static List<String> unsupportedSteps(Plan plan) {
        return unsupportedSteps(plan, Set.of());
    }

    /**
     * Like {@link #unsupportedSteps(Plan)}, for a runner that also has the step functions
     * named in {@code functions}.
     */
    public static List<String> unsupportedSteps(Plan plan, Set<String> functions) {
        return unsupportedSteps(plan, functions, Set.of("local"));
    }

    /**
     * Like {@link #unsupportedSteps(Plan, Set)}, for a runner that can also run stages on the
     * runners named in {@code runners} ({@code local}, {@code docker}), services included
     * where it has a runner besides {@code local}.
     */
    public static List<String> unsupportedSteps(Plan plan, Set<String> functions, Set<String> runners) {
        List<String> out = new ArrayList<>();
        for (PlanStage s : plan.stages()) {
            if (s.status() == PlanStage.Status.SKIP) {
                continue;
            }
            String where = "stage `" + s.name() + "`";
            if (!runners.contains(s.runner().kind())) {
                out.add(where + " runs on `" + s.runner().kind() + "`, which this version of pipe cannot run yet; only `runner local` runs");
            }
            if (!s.services().isEmpty() && runners.size() == 1) {
                out.add(where + " has services, which this version of pipe cannot start yet");
            } else if (!s.services().isEmpty() && "local".equals(s.runner().kind())) {
                out.add(where + " has services, which only start beside a container stage (`runner docker`), not on this machine");
            }
            unsupported(where, s.steps(), functions, out);
            unsupported(where + ", finally", s.finallySteps(), functions, out);
        }
        for (Plan.Hook h : plan.hooks()) {
            unsupported("hook `on " + h.on() + "`", h.steps(), functions, out);
        }
        return out;
    }

    private static void unsupported(String where, List<PlanStep> steps, Set<String> functions, List<String> out) {
        for (PlanStep step : steps) {
            if (!step.call().equals("sh") && !functions.contains(step.call())) {
                out.add(where + (step.name() == null ? "" : ", step `" + step.name() + "`") + ": " + unsupportedMessage(step.call()));
            }
        }
    }

    static String unsupportedMessage(String function) {
        return "`" + function + "` cannot run in this version of pipe yet";
    }

    /**
     * Runs the stage instance's steps, then its outputs, then its {@code finally} steps.
     *
     * @param facts what the run knows so far: outputs of finished stages, env, run id, secrets
     * @param resumed steps that finished successfully in an earlier attempt of this run, with their outputs
     */
    public Outcome run(PlanStage instance, RunFacts facts, Map<String, Map<String, String>> resumed, Cancellation cancel)
            throws InterruptedException {
        Stage stage = stages.get(instance.stage());
        if (stage == null) {
            throw new IllegalArgumentException("the pipeline has no stage `" + instance.stage() + "`");
        }
        Environment environment = stage.deploy() == null ? null
                : program.environment(stage.deploy().environment().name()).orElse(null);
        boolean deploying = environment != null && deploymentsSource != null;
        Optional<Deployment> previous = Optional.empty();
        Map<String, Map<String, String>> stepOutputs = new ConcurrentHashMap<>(resumed);
        RunFacts stageFacts = RunFacts.withSteps(facts, stepOutputs::get);
        Evaluator eval = Planner.evaluator(program, ctx, stage, instance, stageFacts);

        Instant began = deploying ? deployments().clock().instant() : null;
        String version = null;
        Gatekeeper.Admission admission = null;
        if (deploying) {
            try {
                version = stage.deploy().version() == null ? ctx.gitDescribe() : eval.reveal(stage.deploy().version());
            } catch (UnknownValueException e) {
                return new Outcome(new DagScheduler.Result(DagScheduler.Outcome.FAILED,
                        "the version to deploy is not known: " + e.getMessage()), Map.of(), stepOutputs);
            }
            admission = deployments().gatekeeper().admit(instance, environment, version,
                    deployments().approvalOpenedAt().apply(instance.name()), cancel);
            switch (admission.verdict()) {
                case WAITING -> {
                    return new Outcome(new DagScheduler.Result(DagScheduler.Outcome.WAITING, admission.reason()), Map.of(),
                            stepOutputs);
                }
                case CANCELLED -> {
                    return new Outcome(new DagScheduler.Result(DagScheduler.Outcome.CANCELLED, "cancelled: "
                            + admission.reason()), Map.of(), stepOutputs);
                }
                case FAILED -> {
                    record(instance, environment, version, began, Deployment.Outcome.FAILED, false, admission.reason(),
                            null, admission, null);
                    return new Outcome(new DagScheduler.Result(DagScheduler.Outcome.FAILED, admission.reason()), Map.of(),
                            stepOutputs);
                }
                case PASSED -> {
                }
            }
            // What the rollback puts back is read once the lock is held: a run that deployed while
            // this one queued is what runs there now.
            previous = deployments().previous(environment.name().name(), facts.runId());
            RunFacts withPrevious = RunFacts.withPrevious(facts, previous.map(Deployment::version).orElse(null),
                    previous.map(Deployment::runId).orElse(null));
            stageFacts = RunFacts.withSteps(withPrevious, stepOutputs::get);
            eval = Planner.evaluator(program, ctx, stage, instance, stageFacts);
        }
        Placement.Place place = null;
        try {
            Opened opened = open(instance, stage, eval, cancel);
            place = opened.place();
            if (opened.failure() != null || (place != null && cancel.isCancelled())) {
                DagScheduler.Result r = opened.failure() != null
                        ? new DagScheduler.Result(DagScheduler.Outcome.FAILED, opened.failure())
                        : new DagScheduler.Result(DagScheduler.Outcome.CANCELLED, "cancelled: " + cancel.reason());
                if (deploying && opened.failure() != null) {
                    record(instance, environment, version, began, Deployment.Outcome.FAILED, false, opened.failure(), null,
                            admission, null);
                }
                return new Outcome(r, Map.of(), stepOutputs);
            }
            StageRun run = new StageRun(instance.name(), eval, new StepCommands(program, ctx, instance.name(), stage,
                    instance.secrets(), environment, eval, stageFacts, pipeDir, place == null ? baseEnv : place.baseEnv()),
                    stepOutputs, resumed.keySet(), place == null ? executor : place.executor());
            return steps(instance, stage, environment, run, eval, stepOutputs, resumed, cancel, previous, version, began,
                    admission);
        } finally {
            if (place != null) {
                place.close();
            }
            if (admission != null) {
                admission.release();
            }
        }
    }

    /** A stage's place, or why it could not be made; both null for a stage that runs on the runner's own executor. */
    private record Opened(Placement.Place place, String failure) {
    }

    /** Opens the place of a stage that names a runner other than local, when this runner has a placement. */
    private Opened open(PlanStage instance, Stage stage, Evaluator eval, Cancellation cancel) throws InterruptedException {
        if (placement == null || "local".equals(instance.runner().kind())) {
            return new Opened(null, null);
        }
        try {
            return new Opened(placement.open(spec(instance, stage, eval), text -> listener.stageNote(instance.name(), text),
                    cancel), null);
        } catch (UnknownValueException e) {
            return new Opened(null, "the stage's containers cannot be made: " + e.getMessage());
        } catch (Placement.PlacementException e) {
            return new Opened(null, e.getMessage());
        }
    }

    /** What the stage's runner and services ask for, evaluated now: service env may read secrets. */
    private Placement.StageSpec spec(PlanStage instance, Stage stage, Evaluator eval) {
        String image = instance.runner().image();
        String user = null;
        String workdir = null;
        if (stage.runner() instanceof Stage.Runner.Docker d) {
            image = eval.reveal(d.image());
            user = d.user() == null ? null : eval.reveal(d.user());
            workdir = d.workdir() == null ? null : eval.reveal(d.workdir());
        }
        List<Placement.Service> services = new ArrayList<>();
        for (Stage.Service s : stage.services()) {
            Map<String, String> env = new LinkedHashMap<>();
            if (s.env() != null) {
                s.env().forEach(a -> env.put(a.name().name(), eval.reveal(a.value())));
            }
            Stage.Ready r = s.ready();
            services.add(new Placement.Service(s.name().name(), eval.reveal(s.image()), env,
                    r == null ? null : eval.reveal(r.command()),
                    r == null || r.retries() == null ? DEFAULT_READY_RETRIES : r.retries().value().intValue(),
                    r == null || r.every() == null ? DEFAULT_READY_EVERY : Durations.parse(r.every().text())));
        }
        return new Placement.StageSpec(instance.name(), instance.runner().kind(), image, user, workdir, pipeDir, services);
    }

    /** A service's {@code ready} command is tried up to 30 more times, 1s apart, unless it says otherwise. */
    static final int DEFAULT_READY_RETRIES = 30;
    static final Duration DEFAULT_READY_EVERY = Duration.ofSeconds(1);

    /** The steps, outputs, verify, rollback and finally of a stage that may go ahead. */
    private Outcome steps(PlanStage instance, Stage stage, Environment environment, StageRun run, Evaluator eval,
            Map<String, Map<String, String>> stepOutputs, Map<String, Map<String, String>> resumed, Cancellation cancel,
            Optional<Deployment> previous, String version, Instant began, Gatekeeper.Admission admission)
            throws InterruptedException {
        boolean deploying = admission != null;
        Cancellation stageCancel = new Cancellation();
        Runnable unlink = cancel.onCancel(() -> stageCancel.cancel(cancel.reason()));
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread timer = null;
        if (stage.timeout() != null) {
            Duration limit = Durations.parse(stage.timeout().text());
            timer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(limit);
                    timedOut.set(true);
                    stageCancel.cancel("stage `" + instance.name() + "` timed out after " + stage.timeout().text());
                } catch (InterruptedException e) {
                    // the stage ended in time
                }
            });
        }
        String failure;
        VerifyResult verified = null;
        Map<String, String> outputs = Map.of();
        try {
            failure = run.steps(stage.steps(), stageCancel);
            if (failure == null && !stageCancel.isCancelled()) {
                failure = run.deferred(stageCancel);
            }
            if (failure == null && !stageCancel.isCancelled()) {
                Map<String, String> out = new LinkedHashMap<>();
                failure = run.outputs(stage.outputs(), out);
                outputs = out;
            }
            // The stage's timeout covers verify too: a soak that outlasts it fails the deployment.
            if (deploying && failure == null && !stageCancel.isCancelled() && stage.verify() != null) {
                verified = verify(instance.name(), stage, eval, run, stageCancel);
                if (!verified.passed() && verified.status() != VerifyResult.Status.CANCELLED) {
                    failure = verified.describe();
                }
            }
        } finally {
            if (timer != null) {
                timer.interrupt();
            }
            unlink.run();
        }
        boolean cancelled = stageCancel.isCancelled() && !timedOut.get();
        if (timedOut.get() && failure == null) {
            failure = stageCancel.reason();
        } else if (timedOut.get()) {
            failure = stageCancel.reason() + "; " + failure;
        }
        Deployment.Outcome deployed = null;
        String rollbackFailure = null;
        boolean changed = run.ran || !resumed.isEmpty();
        if (deploying && (failure != null || cancelled) && changed && stage.rollback() != null) {
            // A deployment that failed, or was cancelled half-way, puts back what ran before.
            String cause = failure != null ? failure : "cancelled: " + stageCancel.reason();
            String restores = previous.map(Deployment::version).orElse(null);
            listener.rollbackStarted(instance.name(), cause, restores);
            rollbackFailure = run.steps(named(stage.rollback().items(), "rollback"), new Cancellation());
            listener.rollbackFinished(instance.name(), rollbackFailure == null, rollbackFailure);
            deployed = rollbackFailure == null ? Deployment.Outcome.ROLLED_BACK : Deployment.Outcome.ROLLBACK_FAILED;
            failure = cause + (rollbackFailure == null
                    ? "; rolled back" + (restores == null ? "" : " to " + restores)
                    : "; the rollback FAILED: " + rollbackFailure);
        }
        if (stage.finallyBlock() != null) {
            // finally runs even after a cancel, so it gets a cancellation nobody has flipped
            String finallyFailure = run.steps(named(stage.finallyBlock().items(), "finally"), new Cancellation());
            if (finallyFailure != null && failure == null) {
                failure = finallyFailure;
            }
        }
        if (deploying) {
            if (deployed == null) {
                deployed = failure == null && !cancelled ? Deployment.Outcome.SUCCEEDED : Deployment.Outcome.FAILED;
            }
            String cause = deployed == Deployment.Outcome.SUCCEEDED ? null
                    : failure != null ? failure : "cancelled: " + stageCancel.reason();
            record(instance, environment, version, began, deployed, deployed != Deployment.Outcome.FAILED || changed, cause,
                    deployed == Deployment.Outcome.ROLLED_BACK || deployed == Deployment.Outcome.ROLLBACK_FAILED
                            ? previous.orElse(null) : null,
                    admission, verified);
        }
        DagScheduler.Result result;
        if (cancelled) {
            result = new DagScheduler.Result(DagScheduler.Outcome.CANCELLED, "cancelled: " + stageCancel.reason()
                    + (rollbackFailure != null ? "; the rollback FAILED: " + rollbackFailure
                    : deployed == Deployment.Outcome.ROLLED_BACK ? "; rolled back" : ""));
            outputs = Map.of();
        } else if (failure != null) {
            result = new DagScheduler.Result(DagScheduler.Outcome.FAILED, failure);
            outputs = Map.of();
        } else {
            result = DagScheduler.Result.succeeded();
        }
        return new Outcome(result, outputs, stepOutputs, rollbackFailure != null);
    }

    /**
     * Runs a deploying stage's {@code rollback} block by hand ({@code pipe rollback ENV}), with
     * {@code previous.version} and {@code previous.run} set to the deployment to go back to. The
     * gates are the caller's; nothing else of the stage runs.
     *
     * @return succeeded, or failed with the reason
     */
    public Outcome runRollback(PlanStage instance, RunFacts facts, Deployment to, Cancellation cancel)
            throws InterruptedException {
        Stage stage = stages.get(instance.stage());
        if (stage == null || stage.deploy() == null || stage.rollback() == null) {
            throw new IllegalArgumentException("stage `" + instance.stage() + "` has no rollback block");
        }
        Environment environment = program.environment(stage.deploy().environment().name()).orElse(null);
        RunFacts back = RunFacts.withPrevious(facts, to.version(), to.runId());
        Map<String, Map<String, String>> stepOutputs = new ConcurrentHashMap<>();
        RunFacts stageFacts = RunFacts.withSteps(back, stepOutputs::get);
        Evaluator eval = Planner.evaluator(program, ctx, stage, instance, stageFacts);
        Opened opened = open(instance, stage, eval, cancel);
        if (opened.failure() != null) {
            return new Outcome(new DagScheduler.Result(DagScheduler.Outcome.FAILED, opened.failure()), Map.of(), stepOutputs,
                    true);
        }
        Placement.Place place = opened.place();
        String failure;
        try {
            StageRun run = new StageRun(instance.name(), eval, new StepCommands(program, ctx, instance.name(), stage,
                    instance.secrets(), environment, eval, stageFacts, pipeDir, place == null ? baseEnv : place.baseEnv()),
                    stepOutputs, Set.of(), place == null ? executor : place.executor());
            failure = run.steps(named(stage.rollback().items(), "rollback"), cancel);
        } finally {
            if (place != null) {
                place.close();
            }
        }
        DagScheduler.Result result = failure != null ? new DagScheduler.Result(DagScheduler.Outcome.FAILED, failure)
                : cancel.isCancelled() ? new DagScheduler.Result(DagScheduler.Outcome.CANCELLED, "cancelled: " + cancel.reason())
                : DagScheduler.Result.succeeded();
        return new Outcome(result, Map.of(), stepOutputs, failure != null);
    }

    /** Runs the stage's verify block; command checks run like steps named {@code verify: NAME}. */
    private VerifyResult verify(String stageName, Stage stage, Evaluator eval, StageRun run, Cancellation cancel)
            throws InterruptedException {
        Map<String, Integer> tries = new ConcurrentHashMap<>();
        VerifySpec spec;
        try {
            spec = Verifications.spec(stage.verify(), eval, (name, check) -> c -> {
                String step = "verify: " + name;
                int attempt = tries.merge(step, 1, Integer::sum);
                StageRun.Attempt a = run.command(check.call(), null, step, attempt,
                        check.timeout() == null ? null : Durations.parse(check.timeout().text()), c);
                if (a.result() == null) {
                    run.failBeforeRunning(step, a.reason());
                    return dev.pipe.engine.verify.ProbeResult.fail(a.reason());
                }
                listener.stepFinished(stageName, step, attempt, a.result(), Map.of(), a.reason());
                return a.reason() == null
                        ? dev.pipe.engine.verify.ProbeResult.pass("passed in " + a.result().duration().toMillis() + " ms")
                        : dev.pipe.engine.verify.ProbeResult.fail(a.reason());
            });
        } catch (UnknownValueException e) {
            return new VerifyResult(VerifyResult.Status.FAILED, 0, new VerifyResult.Failure("verify", 0, e.getMessage()),
                    null, List.of());
        }
        return deployments().verifier().verify(spec, cancel, t -> listener.verifyTry(stageName, t));
    }

    private void record(PlanStage instance, Environment env, String version, Instant began, Deployment.Outcome outcome,
            boolean changed, String cause, Deployment restored, Gatekeeper.Admission admission, VerifyResult verified) {
        Instant now = deployments().clock().instant();
        Deployment.Builder b = Deployment.builder(Deployment.Kind.DEPLOY, env.name().name(), deployments().runId(),
                instance.name()).version(version).times(began, now.isBefore(began) ? began : now)
                .outcome(outcome, cause).triggeredBy(deployments().triggeredBy()).planDigest(deployments().planDigest())
                .url(instance.deploy() == null ? null : instance.deploy().url()).changed(changed);
        if (restored != null) {
            b.restored(restored.version(), restored.runId());
        }
        if (admission != null) {
            admission.approvals().forEach(d -> b.approval(d.by(), d.at(), d.comment()));
            if (admission.windowOverride() != null) {
                b.windowOverride(admission.windowOverride(), deployments().triggeredBy());
            }
        }
        if (verified != null) {
            verified.checks().forEach(c -> b.check(c.name(), c.tries(), c.failures() == 0 && c.tries() > 0));
        }
        Deployment d = b.build();
        deployments().record(d);
        listener.deploymentRecorded(instance.name(), d);
    }

    /**
     * Runs the steps of one of the pipeline's hooks ({@code on success|failure|always}) in order,
     * like a stage without outputs: the steps get the pipeline's vars and secrets, and a failed
     * step stops the hook. {@code facts} should answer {@code run.status} and
     * {@code run.failed_stage}.
     *
     * @param name the hook's name in the journal and on the console, such as {@code on failure}
     * @param resumed steps of the hook that finished in an earlier attempt of the run
     * @return the hook's outcome: succeeded, or failed with the reason
     */
    public Outcome runHook(String name, Program.Hook hook, RunFacts facts, Map<String, Map<String, String>> resumed,
            Cancellation cancel) throws InterruptedException {
        Map<String, Map<String, String>> stepOutputs = new ConcurrentHashMap<>(resumed);
        RunFacts hookFacts = RunFacts.withSteps(facts, stepOutputs::get);
        Evaluator eval = Planner.hookEvaluator(program, ctx, hookFacts);
        List<String> secrets = program.secrets() == null ? List.of()
                : program.secrets().names().stream().map(n -> n.name()).toList();
        StageRun run = new StageRun(name, eval, new StepCommands(program, ctx, name, null, secrets, null, eval, hookFacts,
                pipeDir, baseEnv), stepOutputs, resumed.keySet(), executor);
        List<Named> steps = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (StepItem item : hook.steps().items()) {
            if (item instanceof StepItem.Step) {
                steps.add(new Named(null, item));
            } else {
                // A bare call is named after its function, numbered when the hook calls it again.
                String function = item.call().function().name();
                int n = seen.merge(function, 1, Integer::sum);
                steps.add(new Named(n == 1 ? function : function + " " + n, item));
            }
        }
        String failure = run.steps(steps, cancel);
        DagScheduler.Result result = failure != null ? new DagScheduler.Result(DagScheduler.Outcome.FAILED, failure)
                : cancel.isCancelled() ? new DagScheduler.Result(DagScheduler.Outcome.CANCELLED, "cancelled: " + cancel.reason())
                : DagScheduler.Result.succeeded();
        return new Outcome(result, Map.of(), stepOutputs);
    }

    /**
     * An empty $PIPE_OUTPUT file for a step: one a finished step gave back (emptied), or a new
     * one. Files are reused rather than made and deleted for every step: making and deleting a
     * file costs the file system two inode operations, more than a short step's own work. New
     * ones are numbered rather than named at random (Files.createTempFile cost three times as
     * much); a number an earlier attempt of the run left behind is skipped.
     */
    private Path newOutputFile() throws IOException {
        Path spare = spareOutputFiles.poll();
        if (spare != null) {
            return spare;
        }
        while (true) {
            Path file = tempDir.resolve("output-" + outputFiles.incrementAndGet() + ".txt");
            try {
                return Files.createFile(file, outputFileAttributes);
            } catch (FileAlreadyExistsException e) {
                // left by an earlier attempt: take the next number
            }
        }
    }

    /**
     * Reads a step's $PIPE_OUTPUT file and empties it for the next step; a file that cannot be
     * emptied (the step changed it into something else) is deleted instead.
     */
    private Map<String, String> takeOutputs(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            long size = ch.size();
            Map<String, String> outputs = Map.of();
            if (size > 0) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(Math.toIntExact(size));
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // read it all
                }
                buf.flip();
                String text = java.nio.charset.StandardCharsets.UTF_8.decode(buf).toString();
                ch.truncate(0);
                outputs = StepOutputs.parse(text);
            }
            return outputs;
        }
    }

    /** Deletes the emptied $PIPE_OUTPUT files kept for later steps; call once the run's steps are over. */
    public void deleteSpareOutputFiles() {
        Path file;
        while ((file = spareOutputFiles.poll()) != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Only an empty temporary file; the run is over anyway.
            }
        }
    }

    /** Gives the file back for another step once it is empty; otherwise deletes it. */
    private void giveBack(Path file) {
        try {
            // Only a file as pipe made it: a regular file, empty, readable by pipe's user alone.
            if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0
                    && (outputFileAttributes.length == 0 || Files.getPosixFilePermissions(file).equals(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
                spareOutputFiles.add(file);
                return;
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Only a leftover temporary file; the run goes on.
        }
    }

    private record Named(String name, StepItem item) {
    }

    /** Steps of a finally or rollback block: a bare call is named after the block and its place, {@code finally 1}. */
    private static List<Named> named(List<StepItem> items, String block) {
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(new Named(items.get(i) instanceof StepItem.Step ? null : block + " " + (i + 1), items.get(i)));
        }
        return out;
    }

    /** The state of one stage instance's run. */
    private final class StageRun {
        private final String stageName;
        private final Evaluator eval;
        private final StepCommands commands;
        private final Map<String, Map<String, String>> stepOutputs;
        private final Set<String> resumed;
        private final Executor executor;
        private final Set<String> skipped = ConcurrentHashMap.newKeySet();
        /** Whether an attempt of a step started: a deployment that ran nothing changed nothing. */
        volatile boolean ran;
        /** Work steps left for when the stage's steps have succeeded ({@link StepFunction.Args#afterSteps}). */
        private final List<Map.Entry<String, StepFunction.Deferred>> deferred = java.util.Collections.synchronizedList(new ArrayList<>());

        StageRun(String stageName, Evaluator eval, StepCommands commands,
                Map<String, Map<String, String>> stepOutputs, Set<String> resumed, Executor executor) {
            this.executor = executor;
            this.stageName = stageName;
            this.eval = eval;
            this.commands = commands;
            this.stepOutputs = stepOutputs;
            this.resumed = Set.copyOf(resumed);
        }

        String steps(List<StepItem.Step> steps, Cancellation cancel) throws InterruptedException {
            return steps(steps.stream().map(s -> new Named(null, s)).toList(), cancel);
        }

        /** Runs steps in order; returns why the stage fails, or null. */
        String steps(Iterable<Named> steps, Cancellation cancel) throws InterruptedException {
            String failure = null;
            for (Named n : steps) {
                String name = n.name() != null ? n.name() : eval.display(((StepItem.Step) n.item()).name());
                if (resumed.contains(name)) {
                    continue;
                }
                if (failure != null) {
                    listener.stepSkipped(stageName, name, "not run: " + failure);
                    continue;
                }
                if (cancel.isCancelled()) {
                    listener.stepSkipped(stageName, name, "not run: the stage was cancelled: " + cancel.reason());
                    continue;
                }
                String stepFailure = step(name, n.item(), cancel);
                boolean allowed = n.item() instanceof StepItem.Step s && s.allowFailure();
                if (stepFailure != null && !allowed && !cancel.isCancelled()) {
                    failure = "step `" + name + "` failed: " + stepFailure;
                }
            }
            return failure;
        }

        /** Runs the work steps left for the end of the stage's steps, in the order left; returns why one failed, or null. */
        String deferred(Cancellation cancel) throws InterruptedException {
            List<Map.Entry<String, StepFunction.Deferred>> work;
            synchronized (deferred) {
                work = List.copyOf(deferred);
                deferred.clear();
            }
            for (Map.Entry<String, StepFunction.Deferred> w : work) {
                if (cancel.isCancelled()) {
                    return null;
                }
                String name = w.getKey();
                ran = true;
                listener.stepStarted(stageName, name, 1);
                OutputSink sink = (stream, chunk) -> listener.stepOutput(stageName, name, stream, chunk);
                long began = System.nanoTime();
                StepFunction.Result r;
                try {
                    r = w.getValue().run(sink, cancel);
                } finally {
                    sink.close();
                }
                listener.stepFinished(stageName, name, 1, new ExecResult(r.failure() == null ? 0 : 1, r.timedOut(),
                        r.failure() != null && cancel.isCancelled(), Duration.ofNanos(System.nanoTime() - began)),
                        r.failure() == null ? r.outputs() : Map.of(), r.failure());
                if (r.failure() != null) {
                    return "step `" + name + "` failed: " + r.failure();
                }
            }
            return null;
        }

        /** Runs one step with its retries; returns why it failed, or null. */
        private String step(String name, StepItem item, Cancellation cancel) throws InterruptedException {
            StepItem.Step step = item instanceof StepItem.Step s ? s : null;
            if (step != null && step.when() != null) {
                String skip;
                try {
                    skip = whenSkips(step);
                } catch (UnknownValueException e) {
                    return failBeforeRunning(name, e.getMessage());
                }
                if (skip != null) {
                    skipped.add(name);
                    stepOutputs.put(name, Map.of());
                    listener.stepSkipped(stageName, name, skip);
                    return null;
                }
            }
            String function = item.call().function().name();
            StepFunction fn = functions.get(function);
            if (!function.equals("sh") && fn == null) {
                return failBeforeRunning(name, unsupportedMessage(function));
            }
            int attempts = 1 + (step == null || step.retry() == null ? 0 : step.retry().value().intValue());
            Duration backoff = step == null || step.backoff() == null ? DEFAULT_BACKOFF : Durations.parse(step.backoff().text());
            Duration timeout = step == null || step.timeout() == null ? null : Durations.parse(step.timeout().text());
            String reason = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                Attempt a = fn != null ? function(fn, item, name, attempt, timeout, cancel)
                        : command(item, step, name, attempt, timeout, cancel);
                if (a.result() == null) {
                    return failBeforeRunning(name, a.reason());
                }
                reason = a.reason();
                listener.stepFinished(stageName, name, attempt, a.result(), reason == null ? a.outputs() : Map.of(), reason);
                if (reason == null) {
                    stepOutputs.put(name, a.outputs());
                    return null;
                }
                if (a.result().cancelled() || cancel.isCancelled() || attempt == attempts) {
                    break;
                }
                sleeper.sleep(backoff, cancel);
                if (cancel.isCancelled()) {
                    break;
                }
                backoff = backoff.multipliedBy(2);
            }
            return reason;
        }

        /**
         * How one attempt went: {@code result} is null when it failed before anything ran (a value
         * not known), with {@code reason} saying why.
         */
        private record Attempt(ExecResult result, Map<String, String> outputs, String reason) {
        }

        /** One attempt of a step pipe runs itself. */
        private Attempt function(StepFunction fn, StepItem item, String name, int attempt, Duration timeout,
                Cancellation cancel) throws InterruptedException {
            StepFunction.Args args;
            try {
                args = arguments(item.call(), name);
            } catch (UnknownValueException e) {
                return new Attempt(null, Map.of(), e.getMessage());
            }
            ran = true;
            listener.stepStarted(stageName, name, attempt);
            OutputSink sink = (stream, chunk) -> listener.stepOutput(stageName, name, stream, chunk);
            long began = System.nanoTime();
            StepFunction.Result r;
            try {
                r = fn.run(args, host(item, name, attempt), sink, cancel, timeout);
            } finally {
                sink.close();
            }
            boolean cancelled = r.failure() != null && cancel.isCancelled() && !r.timedOut();
            return new Attempt(new ExecResult(r.failure() == null ? 0 : 1, r.timedOut(), cancelled,
                    Duration.ofNanos(System.nanoTime() - began)), r.outputs(), r.failure());
        }

        /** What a step function may use of the stage: its env, and the executor for commands it runs. */
        private StepFunction.Host host(StepItem item, String name, int attempt) {
            // Made when asked for: most functions never look at it, and it needs every secret of the stage.
            java.util.function.Supplier<Map<String, String>> stepEnv = new java.util.function.Supplier<>() {
                private Map<String, String> env;

                @Override
                public synchronized Map<String, String> get() {
                    if (env == null) {
                        env = java.util.Collections.unmodifiableMap(commands.env(item, name, attempt, false));
                    }
                    return env;
                }
            };
            return new StepFunction.Host() {
                @Override
                public Map<String, String> env() {
                    return stepEnv.get();
                }

                @Override
                public ExecResult exec(String script, OutputSink sink, Cancellation c, Duration limit) throws InterruptedException {
                    Map<String, String> all = new LinkedHashMap<>(commands.baseEnv());
                    all.putAll(stepEnv.get());
                    return executor.exec(new ShellCommand(script, commands.workdir(), all, limit, null), sink, c);
                }
            };
        }

        /** One attempt of an {@code sh} step, through the executor, with a fresh $PIPE_OUTPUT file. */
        private Attempt command(StepItem item, StepItem.Step step, String name, int attempt, Duration timeout,
                Cancellation cancel) throws InterruptedException {
            Path outputFile;
            try {
                outputFile = newOutputFile();
            } catch (IOException e) {
                throw new UncheckedIOException("pipe could not create the $PIPE_OUTPUT file in " + tempDir, e);
            }
            try {
                ShellCommand command;
                try {
                    command = commands.command(item, name, attempt, outputFile, timeout);
                } catch (UnknownValueException e) {
                    return new Attempt(null, Map.of(), e.getMessage());
                }
                ran = true;
                listener.stepStarted(stageName, name, attempt);
                OutputSink sink = (stream, chunk) -> listener.stepOutput(stageName, name, stream, chunk);
                ExecResult result;
                try {
                    result = executor.exec(command, sink, cancel);
                } finally {
                    sink.close();
                }
                String reason = describe(result, step, cancel);
                Map<String, String> outputs = Map.of();
                if (reason == null) {
                    try {
                        outputs = takeOutputs(outputFile);
                    } catch (StepOutputs.OutputException e) {
                        reason = e.getMessage();
                    } catch (IOException e) {
                        reason = "pipe could not read $PIPE_OUTPUT (" + outputFile + "): " + e.getMessage();
                    }
                }
                return new Attempt(result, outputs, reason);
            } finally {
                giveBack(outputFile);
            }
        }

        /** The call's arguments, evaluated now; secrets are revealed, since the function needs them. */
        private StepFunction.Args arguments(StepItem.StepCall call, String stepName) {
            Path workdir = commands.workdir();
            String positional = call.positional() == null ? null : eval.reveal(call.positional());
            Map<String, String> named = new LinkedHashMap<>();
            Map<String, List<String>> lists = new LinkedHashMap<>();
            for (StepItem.NamedArg a : call.args()) {
                named.put(a.name().name(), eval.reveal(a.value()));
                lists.put(a.name().name(), eval.revealList(a.value()));
            }
            return new StepFunction.Args() {
                @Override
                public String positional() {
                    return positional;
                }

                @Override
                public String named(String argument) {
                    return named.get(argument);
                }

                @Override
                public List<String> list(String argument) {
                    return lists.get(argument);
                }

                @Override
                public Path workdir() {
                    return workdir;
                }

                @Override
                public void afterSteps(String label, StepFunction.Deferred work) {
                    deferred.add(Map.entry(stepName + ": " + label, work));
                }
            };
        }

        /** Most steps write no outputs: an empty file is not opened and read. */

        /**
         * The attempt is over and its outputs read: its $PIPE_OUTPUT file goes, so that a long run
         * does not leave a file per step behind in its temporary folder.
         */

        private String failBeforeRunning(String name, String reason) {
            listener.stepFinished(stageName, name, 1, null, Map.of(), reason);
            return reason;
        }

        /** Why the step's condition skips it, or null when it runs; an undecidable condition fails it. */
        private String whenSkips(StepItem.Step step) {
            Explained ex = eval.explain(step.when());
            String text = ExprText.print(step.when());
            String read = ex.seen().isEmpty() ? "" : ": " + ex.describeSeen();
            return switch (ex.result()) {
                case Result.Known k when k.value() instanceof Value.Bool b -> b.value() ? null : "when `" + text + "` is false" + read;
                case Result.Absent a -> "when `" + text + "` is false" + read;
                case Result.Known k -> throw new UnknownValueException("when `" + text + "` is " + k.value().typeName() + ", not a bool");
                case Result.Unknown u -> throw new UnknownValueException("when `" + text + "` cannot be decided: " + u.reason());
            };
        }

        private static String describe(ExecResult r, StepItem.Step step, Cancellation cancel) {
            if (r.succeeded()) {
                return null;
            }
            if (r.timedOut()) {
                return "timed out after " + (step != null && step.timeout() != null ? step.timeout().text() : "its time limit");
            }
            if (r.cancelled()) {
                return "cancelled" + (cancel.reason() == null ? "" : ": " + cancel.reason());
            }
            return "exited with code " + r.exitCode();
        }

        /** Evaluates the stage's outputs into {@code out}; returns why the stage fails, or null. */
        String outputs(List<Stage.Output> outputs, Map<String, String> out) {
            for (Stage.Output o : outputs) {
                String name = o.name().name();
                Explained ex = eval.explain(o.value());
                switch (ex.result()) {
                    case Result.Known k -> out.put(name, k.display());
                    case Result.Absent a -> {
                        String missing = missingStepOutput(ex);
                        if (missing != null) {
                            return missing;
                        }
                    }
                    case Result.Unknown u -> {
                        return "output `" + name + "` is not known: " + u.reason();
                    }
                }
            }
            return null;
        }

        private String missingStepOutput(Explained ex) {
            for (Observation o : ex.seen()) {
                String[] path = o.text().split("\\.");
                if (o.result() instanceof Result.Absent && path.length == 3 && path[0].equals("steps")) {
                    return skipped.contains(path[1])
                            ? "step `" + path[1] + "` was skipped, so output `" + path[2] + "` is unset"
                            : "step `" + path[1] + "` did not write output `" + path[2] + "` to $PIPE_OUTPUT";
                }
            }
            return null;
        }
    }
}
