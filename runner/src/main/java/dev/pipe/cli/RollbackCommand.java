package dev.pipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.Ledger;
import dev.pipe.engine.deploy.LedgerException;
import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLock;
import dev.pipe.engine.journal.RunLookupException;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import dev.pipe.engine.journal.StageStatus;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.DagScheduler;
import dev.pipe.engine.run.Gatekeeper;
import dev.pipe.engine.run.StageRunner;
import dev.pipe.engine.secrets.Masker;
import dev.pipe.engine.secrets.SecretException;
import dev.pipe.engine.secrets.SecretStore;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.runner.local.LocalExecutor;
import dev.pipe.stdlib.steps.StepFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pipe rollback ENV [--to VERSION] --reason TEXT}: runs by hand the {@code rollback} block of
 * the stage that deploys to ENV, with {@code previous.version} set to the version to go back to,
 * through the environment's lock and approval gate (its window does not hold an emergency back:
 * the reason is recorded as the override). It is a run of its own, journaled like any other,
 * and the environment's history records it as a {@code manual_rollback}.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Roll an environment back by hand: run the rollback block of the stage that deploys to it.")
final class RollbackCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "ENV", arity = "1", description = "The environment to roll back.")
    String environment;

    @Option(names = "--to", paramLabel = "VERSION",
            description = "The version to go back to; it must have run there successfully. Default: the one before what runs now.")
    String to;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why; the history records it.")
    String reason;

    @Option(names = "--file", paramLabel = "FILE",
            description = "The .pipe file. Default: the one of the run that deployed what runs there now.")
    Path file;

    @Option(names = "--stage", paramLabel = "STAGE", description = "The stage whose rollback runs, when several deploy to ENV.")
    String stage;

    @Option(names = "--as", paramLabel = "USER", description = "Who rolls back. Default: $PIPE_USER, else the OS user.")
    String as;

    @Option(names = "--secrets-file", paramLabel = "FILE", description = "A dotenv file with the secrets the stage declares.")
    Path secretsFile;

    @Mixin
    StateDir state;

    @Override
    public Integer call() throws Exception {
        if (reason.isBlank()) {
            throw CliException.usage("--reason must say why: the environment's history records it");
        }
        RunStore store = state.store(parent.cli.env());
        Ledger ledger = new Ledger(store.stateDir());
        Deployment target;
        RunCommand.Request request;
        try {
            target = to != null ? ledger.find(environment, to) : ledger.rollbackTarget(environment);
            String source = ledger.current(environment).map(c -> c.runId()).orElse(target.runId());
            RunDir sourceRun = store.find(source);
            request = new ObjectMapper().readValue(sourceRun.dir().resolve("request.json").toFile(), RunCommand.Request.class);
        } catch (LedgerException | RunLookupException e) {
            throw new CliException(Exit.ERRORS, e.getMessage());
        }
        Path pipeFile = file != null ? file : Path.of(request.file());
        // Plan with the event of the run that deployed, so that the stage's inputs and vars mean what they meant.
        RunCommand again = new RunCommand();
        List<String> args = new ArrayList<>(request.args());
        int asAt = args.indexOf("--as");
        if (asAt >= 0) {
            args.remove(asAt + 1);
            args.remove(asAt);
        }
        args.add(pipeFile.toString());
        new CommandLine(again).parseArgs(args.toArray(String[]::new));
        String who = as != null ? as : parent.cli.env().getOrDefault("PIPE_USER", System.getProperty("user.name"));
        EventContext ctx = again.event.context(Map.of("PIPE_USER", who), pipeFile);
        Compiler.Compiled compiled = Compiler.compile(pipeFile);
        if (compiled.hasErrors()) {
            throw new CliException(Exit.ERRORS, pipeFile + " has errors; fix them first (`pipe check`)");
        }
        Plan plan = RunCommand.plan(compiled, ctx);
        List<PlanStage> candidates = plan.stages().stream()
                .filter(s -> s.deploy() != null && s.deploy().environment().equals(environment))
                .filter(s -> compiled.program().stages().stream()
                        .anyMatch(st -> st.name().name().equals(s.stage()) && st.rollback() != null))
                .filter(s -> stage == null || s.name().equals(stage) || s.stage().equals(stage))
                .toList();
        if (candidates.isEmpty()) {
            throw new CliException(Exit.ERRORS, "no stage of " + pipeFile + " that deploys to " + environment
                    + (stage == null ? "" : " and is called `" + stage + "`") + " has a rollback block");
        }
        if (candidates.size() > 1) {
            throw CliException.usage("several stages deploy to " + environment + " with a rollback block ("
                    + String.join(", ", candidates.stream().map(PlanStage::name).toList()) + "); say which with --stage");
        }
        PlanStage instance = candidates.get(0);
        Map<String, String> secrets;
        try {
            secrets = SecretStore.load(secretsFile, parent.cli.env()).require(instance.secrets());
        } catch (SecretException e) {
            throw new CliException(Exit.ERRORS, e.getMessage());
        }
        Masker masker = Masker.of(secrets.values());
        RunDir run = store.create();
        RunLock lock = RunLock.acquire(run);
        run.writePlan(plan, masker::mask);
        // The event it was planned for, so that a later `pipe rollback` can plan from this run too.
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(run.dir().resolve("request.json").toFile(),
                new RunCommand.Request(pipeFile.toAbsolutePath().toString(), request.args(), ctx.at().toString(),
                        secretsFile == null ? null : secretsFile.toAbsolutePath().toString(), 1, true, null, null, null,
                        null, true, false));
        Files.writeString(run.dir().resolve("rollback.json"), new ObjectMapper().writeValueAsString(
                Map.of("environment", environment, "to", target.version() == null ? "" : target.version(), "stage",
                        instance.name())));
        Journal journal = Journal.create(run.journal(), masker::mask);
        String described = "a manual rollback of " + environment + " to " + target.version();
        journal.append(new JournalEvent.RunStarted(run.id(), plan.pipeline(), pipeFile.toString(), described, plan.digest(),
                who, 1, ProcessHandle.current().pid()));
        var out = parent.cli.out();
        out.println("run " + run.id() + ": " + described + " (stage " + instance.name() + "): " + reason);
        RunListener listener = new RunListener(journal, run, masker, out, false, null);
        RunSession.Gates gates = new RunSession.Gates(store.stateDir(), Clock.systemUTC(), "manual rollback: " + reason,
                true, Map.of());
        RunSession.Setup setup = new RunSession.Setup(compiled.program(), plan, ctx, pipeFile, run, secrets, masker,
                1, true, Map.of(), Map.of(), Map.of(), gates);
        Cancellation cancel = new Cancellation();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        // Ctrl-C cancels; the JVM waits here until the attempt is recorded and the journal closed.
        Thread hook = new Thread(() -> {
            cancel.cancel("interrupted by a signal (Ctrl-C or SIGTERM)");
            try {
                done.await(2, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pipe-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        Path temp = Files.createDirectories(run.dir().resolve("tmp"));
        int exit;
        try (LocalExecutor executor = new LocalExecutor(LocalExecutor.DEFAULT_GRACE, RunSession.sessions(run))) {
            StageRunner runner = new StageRunner(setup.program(), ctx, pipeFile.toAbsolutePath().getParent(),
                    LocalExecutor.baseEnvironment(), temp, executor, listener, StageRunner.Sleeper.REAL,
                    StepFunctions.forRun(new dev.pipe.stdlib.steps.RunPlace(store.stateDir(), run.id(), ctx.sha()),
                            pipeFile, setup.program()));
            // A stage that runs in a container rolls back in one too.
            dev.pipe.runner.docker.DockerEngine docker = "local".equals(instance.runner().kind()) ? null
                    : dev.pipe.runner.docker.DockerEngine.connect(parent.cli.env());
            dev.pipe.runner.docker.DockerPlacement placement = docker == null ? null
                    : new dev.pipe.runner.docker.DockerPlacement(docker, run.id(), temp, run.dir().resolve("services"),
                            masker::mask);
            runner.withPlacement(placement);
            StageRunner.Deployments deployments = RunSession.deployments(setup, listener).get();
            Instant began = Instant.now();
            journal.append(new JournalEvent.StageStarted(instance.name()));
            Gatekeeper.Admission admission = deployments.gatekeeper().admit(instance,
                    setup.program().environment(environment).orElseThrow(), target.version(), null, cancel);
            Deployment.Outcome outcome;
            String cause;
            DagScheduler.Result result;
            try {
                if (admission.verdict() != Gatekeeper.Verdict.PASSED) {
                    outcome = Deployment.Outcome.FAILED;
                    cause = admission.reason();
                    result = new DagScheduler.Result(admission.verdict() == Gatekeeper.Verdict.CANCELLED
                            ? DagScheduler.Outcome.CANCELLED : DagScheduler.Outcome.FAILED, admission.reason());
                } else {
                    listener.rollbackStarted(instance.name(), reason, target.version());
                    StageRunner.Outcome o = runner.runRollback(instance, RunSession.facts(setup, Map.of()), target, cancel);
                    result = o.result();
                    listener.rollbackFinished(instance.name(), o.result().outcome() == DagScheduler.Outcome.SUCCEEDED,
                            o.result().reason());
                    outcome = o.result().outcome() == DagScheduler.Outcome.SUCCEEDED ? Deployment.Outcome.SUCCEEDED
                            : Deployment.Outcome.ROLLBACK_FAILED;
                    cause = outcome == Deployment.Outcome.SUCCEEDED ? reason : reason + "; " + o.result().reason();
                }
                Instant now = Instant.now();
                Deployment.Builder b = Deployment.builder(Deployment.Kind.MANUAL_ROLLBACK, environment, run.id(),
                        instance.name()).version(target.version()).times(began, now.isBefore(began) ? began : now)
                        .outcome(outcome, cause).triggeredBy(who).planDigest(plan.digest())
                        .changed(admission.verdict() == Gatekeeper.Verdict.PASSED);
                admission.approvals().forEach(d -> b.approval(d.by(), d.at(), d.comment()));
                if (admission.windowOverride() != null) {
                    b.windowOverride(admission.windowOverride(), who);
                }
                Deployment d = b.build();
                deployments.record(d);
                listener.deploymentRecorded(instance.name(), d);
            } finally {
                admission.release();
                runner.deleteSpareOutputFiles();
                if (placement != null) {
                    placement.close();
                    docker.close();
                }
            }
            journal.append(new JournalEvent.StageFinished(instance.name(), switch (result.outcome()) {
                case SUCCEEDED -> StageStatus.SUCCEEDED;
                case CANCELLED -> StageStatus.CANCELLED;
                default -> StageStatus.FAILED;
            }, result.reason(), Map.of()));
            RunStatus status = switch (result.outcome()) {
                case SUCCEEDED -> RunStatus.SUCCEEDED;
                case CANCELLED -> RunStatus.CANCELLED;
                default -> RunStatus.FAILED;
            };
            if (status == RunStatus.CANCELLED) {
                journal.append(new JournalEvent.RunCancelled(cancel.reason()));
            }
            journal.append(new JournalEvent.RunFinished(status));
            out.println();
            out.println("rollback of " + environment + " to " + target.version() + ": "
                    + (status == RunStatus.SUCCEEDED ? "succeeded" : masker.mask(result.reason())));
            exit = switch (status) {
                case SUCCEEDED -> Exit.OK;
                case CANCELLED -> Exit.CANCELLED;
                default -> outcome == Deployment.Outcome.ROLLBACK_FAILED ? Exit.ROLLBACK_FAILED : Exit.ERRORS;
            };
        } finally {
            journal.close();
            lock.close();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: the JVM exits once it returns
            }
        }
        return exit;
    }
}
