package dev.pipe.cli;

import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLock;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.plan.RunFacts;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.DagScheduler;
import dev.pipe.engine.run.RunEngine;
import dev.pipe.engine.run.StageRunner;
import dev.pipe.engine.secrets.Masker;
import dev.pipe.lang.syntax.Program;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.runner.docker.DockerEngine;
import dev.pipe.runner.docker.DockerPlacement;
import dev.pipe.runner.docker.DockerSteps;
import dev.pipe.runner.local.LocalExecutor;
import java.util.ArrayList;
import java.util.List;
import dev.pipe.stdlib.steps.StepFunctions;
import dev.pipe.runner.local.Sessions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attempt at driving a run to its end, for `pipe run` and `pipe resume`: the stages run on
 * local processes, every change is journaled, output is masked, logged and printed, and Ctrl-C
 * or SIGTERM cancels cleanly (finally steps still run) before the process exits.
 */
final class RunSession {
    private RunSession() {
    }

    record Setup(Program program, Plan plan, EventContext ctx, Path pipeFile, RunDir run, Map<String, String> secrets,
            Masker masker, int parallel, boolean failFast, Map<String, RunEngine.StageResult> resumedStages,
            Map<String, Map<String, Map<String, String>>> resumedSteps, Map<String, String> leftOut, Gates gates,
            Map<String, String> env) {
        /** With pipe's own environment, which says where Docker is (DOCKER_HOST). */
        Setup(Program program, Plan plan, EventContext ctx, Path pipeFile, RunDir run, Map<String, String> secrets,
                Masker masker, int parallel, boolean failFast, Map<String, RunEngine.StageResult> resumedStages,
                Map<String, Map<String, Map<String, String>>> resumedSteps, Map<String, String> leftOut, Gates gates) {
            this(program, plan, ctx, pipeFile, run, secrets, masker, parallel, failFast, resumedStages, resumedSteps, leftOut,
                    gates, System.getenv());
        }
    }

    /**
     * How the run treats deployment gates.
     *
     * @param stateDir the state folder, which holds the environments' history and locks
     * @param clock the clock gates judge windows and expiries by
     * @param overrideWindow the reason given with --override-window, or null
     * @param waitForApprovals --wait: keep waiting for approvals instead of pausing
     * @param approvalOpenedAt when each stage first waited for approvals in an earlier attempt
     * @param ask ask at the terminal for missing approvals (PIPE_ASK=1: stdin and stdout are terminals)
     */
    record Gates(Path stateDir, java.time.Clock clock, String overrideWindow, boolean waitForApprovals,
            Map<String, java.time.Instant> approvalOpenedAt, boolean ask) {
        Gates(Path stateDir, java.time.Clock clock, String overrideWindow, boolean waitForApprovals,
                Map<String, java.time.Instant> approvalOpenedAt) {
            this(stateDir, clock, overrideWindow, waitForApprovals, approvalOpenedAt, false);
        }
    }

    /** How a run reports besides its journal: JSON events instead of text, and a JUnit XML file. */
    record Reporting(boolean json, Path junit, boolean live, boolean color) {
    }

    /** In JSON mode every journal line is printed as it is written, from the first one on. */
    static void announce(Journal journal, PrintStream out, Reporting reporting) {
        if (reporting.json()) {
            journal.observe(line -> {
                synchronized (out) {
                    out.println(line);
                }
            });
        }
    }

    /**
     * Runs the plan. Everything the run needs (the executor and its spawner, the stage runner,
     * the listener) is set up first; {@code begin} then writes the journal's first event of this
     * process (run_started or run_resumed) and says so, and the stages start at once. So the
     * journal's span is the run itself, and a run that dies while being set up has not started.
     */
    static int drive(Setup s, Journal journal, RunLock lock, PrintStream out, Reporting reporting, Runnable begin)
            throws InterruptedException {
        Cancellation cancel = new Cancellation();
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C and SIGTERM cancel the run; the JVM waits here until finally steps and the journal are done.
        Thread hook = new Thread(() -> {
            cancel.cancel("interrupted by a signal (Ctrl-C or SIGTERM)");
            try {
                done.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pipe-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        RunListener listener = new RunListener(journal, s.run(), s.masker(), out, reporting.json(),
                reporting.live() ? new LiveView(s.plan().stages().stream().map(PlanStage::name).toList(), reporting.color(), out)
                        : null);
        Path temp;
        try {
            temp = Files.createDirectories(s.run().dir().resolve("tmp"));
        } catch (IOException e) {
            throw new CliException(Exit.ERRORS, "cannot create the run's temporary folder: " + e.getMessage());
        }
        LocalExecutor executor = new LocalExecutor(LocalExecutor.DEFAULT_GRACE, sessions(s.run()));
        executor.warmUp();
        Path pipeDir = s.pipeFile().toAbsolutePath().getParent();
        // docker-java is loaded only by runs that use Docker: local runs start as fast as before.
        DockerEngine docker = DockerSupport.needed(Selection.selected(s.plan(), s.leftOut())) ? DockerEngine.connect(s.env()) : null;
        List<StepFunction> functions = new ArrayList<>(StepFunctions.forRun(
                new dev.pipe.stdlib.steps.RunPlace(s.gates().stateDir(), s.run().id(), s.ctx().sha()), s.pipeFile(), s.program()));
        if (docker != null) {
            functions.addAll(DockerSteps.functions(() -> docker, pipeDir, s.run().id()));
        }
        StageRunner runner = new StageRunner(s.program(), s.ctx(), pipeDir,
                LocalExecutor.baseEnvironment(), temp, executor, listener, StageRunner.Sleeper.REAL, functions);
        runner.withDeployments(deployments(s, listener));
        DockerPlacement placement = docker == null ? null
                : new DockerPlacement(docker, s.run().id(), temp, s.run().dir().resolve("services"), s.masker()::mask);
        runner.withPlacement(placement);
        Map<String, Map<String, String>> stageOutputs = new java.util.concurrent.ConcurrentHashMap<>();
        s.resumedStages().forEach((name, r) -> stageOutputs.put(name, r.outputs()));
        RunFacts facts = facts(s, stageOutputs);
        java.util.concurrent.atomic.AtomicBoolean rollbackFailed = new java.util.concurrent.atomic.AtomicBoolean();
        RunEngine.StageWork work = (stage, needOutputs, c) -> {
            StageRunner.Outcome o = runner.run(stage, facts, s.resumedSteps().getOrDefault(stage.name(), Map.of()), c);
            if (o.rollbackFailed()) {
                rollbackFailed.set(true);
            }
            stageOutputs.put(stage.stage(), o.outputs());
            return new RunEngine.StageResult(o.result(), o.outputs());
        };
        RunEngine.HookWork hooks = (name, index, status, failedStage, c) -> {
            RunFacts ended = RunFacts.ended(facts, status.name().toLowerCase(java.util.Locale.ROOT), failedStage);
            StageRunner.Outcome o = runner.runHook(name, s.program().hooks().get(index), ended,
                    s.resumedSteps().getOrDefault(name, Map.of()), c);
            return new RunEngine.StageResult(o.result(), Map.of());
        };
        RunEngine.Outcome outcome;
        try {
            // The run starts (begin journals it) once the engine has set up its scheduler too.
            outcome = RunEngine.execute(s.plan(), journal, work, hooks, listener, s.parallel(), s.failFast(), cancel,
                    s.resumedStages(), s.leftOut(), () -> {
                        begin.run();
                        listener.startLive();
                    });
        } finally {
            listener.stopLive();
            runner.deleteSpareOutputFiles();
            // Ends the executor's spawner, which would otherwise hold up the JVM's exit.
            executor.close();
            if (placement != null) {
                // Whatever a stage could not remove (pipe was interrupted) goes now, found by the run's label.
                // An engine gone meanwhile must not keep the journal from being closed.
                try {
                    placement.close();
                } catch (RuntimeException e) {
                    out.println("pipe: warning: could not remove the run's containers (" + e.getMessage()
                            + "); `pipe resume " + s.run().id() + "` or `docker rm -f $(docker ps -aq --filter label=dev.pipe.run="
                            + s.run().id() + ")` removes them");
                }
            }
            if (docker != null) {
                try {
                    docker.close();
                } catch (RuntimeException e) {
                    // Nothing left to do with it.
                }
            }
            try {
                journal.close();
                lock.close();
            } catch (IOException e) {
                out.println("pipe: warning: " + e.getMessage());
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM exits once it returns.
            }
        }
        if (reporting.junit() != null) {
            try {
                JUnitReport.write(s.run().state(), reporting.junit());
            } catch (IOException e) {
                throw new CliException(Exit.ERRORS, "cannot write the JUnit report " + reporting.junit() + ": " + e.getMessage());
            }
        }
        if (!reporting.json()) {
            summary(s.plan(), outcome, out);
        }
        if (outcome.status() == dev.pipe.engine.journal.RunStatus.WAITING && !reporting.json()) {
            out.println("\nThe run waits for approval. Approve with `pipe approve " + s.run().id()
                    + " --as NAME`, then continue it with `pipe resume " + s.run().id() + "`.");
        }
        if (rollbackFailed.get()) {
            return Exit.ROLLBACK_FAILED;
        }
        return switch (outcome.status()) {
            case SUCCEEDED -> Exit.OK;
            case CANCELLED -> Exit.CANCELLED;
            case WAITING -> Exit.WAITING;
            default -> Exit.ERRORS;
        };
    }

    /**
     * The environments' history, gates and verify, for the stages that deploy. Made when a stage
     * first deploys: a run that deploys nothing does not pay for them.
     */
    static java.util.function.Supplier<StageRunner.Deployments> deployments(Setup s, RunListener listener) {
        return () -> buildDeployments(s, listener);
    }

    private static StageRunner.Deployments buildDeployments(Setup s, RunListener listener) {
        Path stateDir = s.gates().stateDir();
        dev.pipe.engine.deploy.Ledger ledger = new dev.pipe.engine.deploy.Ledger(stateDir);
        dev.pipe.engine.deploy.DecisionFile decisions = new dev.pipe.engine.deploy.DecisionFile(s.run().dir());
        java.time.Clock clock = s.gates().clock();
        dev.pipe.engine.run.Gatekeeper.Decisions source = new dev.pipe.engine.run.Gatekeeper.Decisions() {
            @Override
            public java.util.List<dev.pipe.engine.deploy.Approvals.Decision> of(String stage) throws IOException {
                return decisions.of(stage);
            }

            @Override
            public java.util.Optional<String> supersededBy(String environment, String runId) throws IOException {
                return dev.pipe.engine.deploy.DecisionFile.supersededBy(stateDir, environment, runId);
            }

            @Override
            public void opened(String environment, String runId, String stage, java.time.Instant at) throws IOException {
                dev.pipe.engine.deploy.DecisionFile.opened(stateDir, environment, runId, stage, at);
            }
        };
        dev.pipe.engine.run.Gatekeeper gatekeeper = new dev.pipe.engine.run.Gatekeeper(stateDir, clock,
                java.time.Clock.systemUTC(), StageRunner.Sleeper.REAL, listener, source, s.gates().ask()
                        ? new TerminalPrompt(new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                                java.nio.charset.StandardCharsets.UTF_8)), System.out, decisions, clock, s.masker()::mask,
                                listener::stopLive, listener::startLive)
                        : dev.pipe.engine.run.Gatekeeper.Prompt.NONE,
                new dev.pipe.engine.run.Gatekeeper.Options(s.run().id(), s.ctx().triggeredBy(), s.plan().digest(),
                        s.gates().overrideWindow(), s.gates().waitForApprovals(), java.time.Duration.ofSeconds(1)));
        dev.pipe.engine.verify.Verifier verifier = new dev.pipe.engine.verify.Verifier();
        return new StageRunner.Deployments() {
            @Override
            public dev.pipe.engine.run.Gatekeeper gatekeeper() {
                return gatekeeper;
            }

            @Override
            public dev.pipe.engine.verify.Verifier verifier() {
                return verifier;
            }

            @Override
            public java.time.Clock clock() {
                return clock;
            }

            @Override
            public java.util.function.Function<String, java.time.Instant> approvalOpenedAt() {
                return stage -> s.gates().approvalOpenedAt().get(stage);
            }

            @Override
            public java.util.Optional<dev.pipe.engine.deploy.Deployment> previous(String environment, String runId) {
                try {
                    return ledger.previous(environment, runId);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("pipe could not read the history of " + environment, e);
                }
            }

            @Override
            public void record(dev.pipe.engine.deploy.Deployment deployment) {
                try {
                    ledger.append(deployment, s.masker()::mask);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("pipe could not write the history of "
                            + deployment.environment(), e);
                }
            }

            @Override
            public String runId() {
                return s.run().id();
            }

            @Override
            public String triggeredBy() {
                return s.ctx().triggeredBy();
            }

            @Override
            public String planDigest() {
                return s.plan().digest();
            }
        };
    }

    /** Where the run notes the sessions of its running steps (see {@link Sessions}). */
    static Sessions sessions(dev.pipe.engine.journal.RunDir run) {
        return new Sessions(run.dir().resolve("sessions"));
    }

    private static void summary(Plan plan, RunEngine.Outcome outcome, PrintStream out) {
        int width = java.util.stream.Stream.concat(plan.stages().stream().map(PlanStage::name), outcome.hooks().keySet().stream())
                .mapToInt(String::length).max().orElse(5);
        out.println();
        out.println("run " + plan.pipeline() + ": " + outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        for (PlanStage stage : plan.stages()) {
            DagScheduler.Result r = outcome.stages().get(stage.name());
            String word = r == null ? "-" : r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            out.println(String.format("  %-12s %-" + width + "s  %s", word, stage.name(), r == null || r.reason() == null ? "" : r.reason()).stripTrailing());
        }
        outcome.hooks().forEach((name, r) -> {
            String word = r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            out.println(String.format("  %-12s %-" + width + "s  %s", word, name, r.reason() == null ? "" : r.reason()).stripTrailing());
        });
    }

    static RunFacts facts(Setup s, Map<String, Map<String, String>> stageOutputs) {
        return new RunFacts() {
            @Override
            public Map<String, String> stageOutputs(String stage) {
                return stageOutputs.get(stage);
            }

            @Override
            public Map<String, String> stepOutputs(String step) {
                return null;
            }

            @Override
            public String env(String name) {
                return System.getenv(name);
            }

            @Override
            public String runId() {
                return s.run().id();
            }

            @Override
            public String triggeredBy() {
                return s.ctx().triggeredBy();
            }

            @Override
            public String status() {
                return null;
            }

            @Override
            public String failedStage() {
                return null;
            }

            @Override
            public String previousVersion() {
                return null;
            }

            @Override
            public String previousRun() {
                return null;
            }

            @Override
            public String secret(String name) {
                return s.secrets().get(name);
            }
        };
    }

    /** The secrets the run's stages declare: pipeline and deploy-environment secrets of stages that run. */
    static java.util.Set<String> declaredSecrets(Plan plan, Program program) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        if (!plan.hooks().isEmpty() && program.secrets() != null) {
            // Hooks get the pipeline's secrets, whichever stages run.
            program.secrets().names().forEach(n -> names.add(n.name()));
        }
        for (PlanStage stage : plan.stages()) {
            if (stage.status() != PlanStage.Status.SKIP) {
                names.addAll(stage.secrets());
            }
        }
        return names;
    }
}
