package dev.pipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLock;
import dev.pipe.engine.journal.RunStore;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanException;
import dev.pipe.engine.plan.PlanText;
import dev.pipe.engine.plan.Planner;
import dev.pipe.engine.run.RunEngine;
import dev.pipe.engine.run.StageRunner;
import dev.pipe.engine.secrets.Masker;
import dev.pipe.engine.secrets.SecretException;
import dev.pipe.engine.secrets.SecretStore;
import dev.pipe.lang.diag.DiagnosticRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline for one event on local processes: stages in parallel as their needs allow,",
                "every change journaled under .pipe/runs/<run-id>/ so that a killed run can be resumed."},
        footer = {"", "Exit codes: 0 the run succeeded, 1 it failed or the file has errors, 2 usage error,",
                "130 cancelled (Ctrl-C or SIGTERM). See docs/cli.md and docs/runs.md."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "FILE", arity = "1", description = "The .pipe file to run.")
    Path file;

    @Mixin
    EventOptions event;

    @Option(names = "--dry-run", description = "Print the explained plan and run nothing.")
    boolean dryRun;

    @Option(names = "--parallel", paramLabel = "N", description = "How many stages may run at once. Default: the number of cores.")
    Integer parallel;

    @Option(names = "--no-fail-fast", description = "Keep starting independent stages after a stage failed.")
    boolean noFailFast;

    @Option(names = "--only", paramLabel = "STAGE", split = ",",
            description = "Run only these stages (repeatable, or comma-separated); stages they need are not run.")
    List<String> only;

    @Option(names = "--from", paramLabel = "STAGE", description = "Run this stage and every stage after it, not those before.")
    String from;

    @Option(names = "--secrets-file", paramLabel = "FILE", description = "A dotenv file with the secrets the pipeline declares.")
    Path secretsFile;

    @Option(names = "--wait", description = "At an approval gate, keep waiting until the approvals are in"
            + " (given with `pipe approve` elsewhere) instead of pausing the run.")
    boolean waitForApprovals;

    @Option(names = "--override-window", description = "Deploy even though the environment's window is closed;"
            + " needs --reason, which the environment's history records.")
    boolean overrideWindow;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the window is overridden.")
    String reason;

    @Mixin
    RunnerOption runner;

    @Mixin
    ReportOptions report;

    @Mixin
    StateDir state;

    /** What `pipe resume` needs to plan the same run again. */
    record Request(String file, List<String> args, String at, String secretsFile, int parallel, boolean failFast,
            List<String> only, String from, String runner, String overrideWindow, boolean waitForApprovals,
            boolean clockGiven) {
    }

    @Override
    public Integer call() throws Exception {
        RunSession.Reporting reporting = report.reporting(parent.terminal());
        int limit = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        if (limit < 1) {
            throw CliException.usage("--parallel must be at least 1, not " + limit);
        }
        if (overrideWindow && (reason == null || reason.isBlank())) {
            throw CliException.usage("--override-window needs --reason TEXT: the environment's history records why");
        }
        if (reason != null && !overrideWindow) {
            throw CliException.usage("--reason goes with --override-window");
        }
        java.util.function.Supplier<EventContext> soon = event.contextSoon(parent.cli.env(), file);
        Compiler.Compiled compiled = Compiler.compile(file);
        EventContext ctx = soon.get();
        DiagnosticRenderer renderer = new DiagnosticRenderer(parent.terminal().color());
        parent.cli.err().print(renderer.render(compiled.diagnostics()));
        if (compiled.hasErrors()) {
            parent.cli.err().println("pipe: " + file + ": not run, because the file has errors (see above)");
            return Exit.ERRORS;
        }
        if (compiled.program().isModule()) {
            throw CliException.usage(file + ": is a module (templates, no `pipeline NAME`), so it cannot be run on its own;"
                    + " import it from a pipeline");
        }
        Plan plan = runner.apply(plan(compiled, ctx));
        if (dryRun) {
            parent.cli.out().print(PlanText.render(plan, parent.terminal().color()));
            parent.cli.out().println("\nDry run: nothing was run.");
            return plan.problems().isEmpty() ? Exit.OK : Exit.ERRORS;
        }
        Map<String, String> leftOut = Selection.leftOut(plan, only, from);
        refuseWhatCannotRun(Selection.selected(plan, leftOut), file, compiled.program());
        DockerSupport.refuseWithoutEngine(Selection.selected(plan, leftOut), parent.cli.env());
        Map<String, String> secrets = secrets(Selection.selected(plan, leftOut), compiled.program(), secretsFile, parent.cli.env());
        Masker masker = Masker.of(secrets.values());
        RunStore store = state.store(parent.cli.env());
        RunDir run = store.create();
        RunLock lock = RunLock.acquire(run);
        run.writePlan(plan, masker::mask);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(run.dir().resolve("request.json").toFile(),
                new Request(file.toAbsolutePath().toString(), eventArgs(ctx), ctx.at().toString(),
                        secretsFile == null ? null : secretsFile.toAbsolutePath().toString(), limit, !noFailFast, only, from,
                        runner.runner, overrideWindow ? reason : null, waitForApprovals, event.at != null));
        Journal journal = Journal.create(run.journal(), masker::mask);
        RunSession.announce(journal, parent.cli.out(), reporting);
        java.time.Clock clock = event.at == null ? java.time.Clock.systemUTC()
                : java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.between(java.time.Instant.now(), ctx.at()));
        RunSession.Gates gates = new RunSession.Gates(store.stateDir(), clock, overrideWindow ? reason : null, waitForApprovals,
                Map.of(), "1".equals(parent.cli.env().get("PIPE_ASK")) && !reporting.json());
        return RunSession.drive(new RunSession.Setup(compiled.program(), plan, ctx, file, run, secrets, masker,
                limit, !noFailFast, Map.of(), Map.of(), leftOut, gates, parent.cli.env()), journal, lock, parent.cli.out(),
                reporting, () -> {
                    journal.append(new JournalEvent.RunStarted(run.id(), plan.pipeline(), file.toString(), ctx.describe(),
                            plan.digest(), ctx.triggeredBy(), limit, ProcessHandle.current().pid()));
                    if (!reporting.json()) {
                        parent.cli.out().println("run " + run.id() + ": " + plan.pipeline() + ", " + ctx.describe());
                    }
                });
    }

    static Plan plan(Compiler.Compiled compiled, EventContext ctx) {
        try {
            return Planner.plan(compiled.source(), compiled.program(), ctx);
        } catch (PlanException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    static void refuseWhatCannotRun(Plan plan, Path file, dev.pipe.lang.syntax.Program program) {
        if (!plan.problems().isEmpty()) {
            throw new CliException(Exit.ERRORS, String.join("; ", plan.problems()));
        }
        java.util.Set<String> functions = new java.util.HashSet<>(dev.pipe.runner.docker.DockerSteps.NAMES);
        dev.pipe.stdlib.steps.StepFunctions.all(file, program).forEach(f -> functions.add(f.name()));
        List<String> problems = new ArrayList<>(StageRunner.unsupportedSteps(plan, functions, java.util.Set.of("local", "docker")));
        if (!problems.isEmpty()) {
            throw new CliException(Exit.ERRORS, "cannot run this plan: " + String.join("; ", problems)
                    + ". Leave such stages out with --only or --from, pick another event, or see what would happen with --dry-run");
        }
    }

    static Map<String, String> secrets(Plan plan, dev.pipe.lang.syntax.Program program, Path secretsFile,
            Map<String, String> env) {
        try {
            return SecretStore.load(secretsFile, env).require(RunSession.declaredSecrets(plan, program));
        } catch (SecretException e) {
            throw new CliException(Exit.ERRORS, e.getMessage());
        }
    }

    /**
     * The event as planned, to plan the same event again on resume: what git said is pinned
     * (the event, branch, tag, commit and changed files), so that new commits since do not
     * change the plan.
     */
    private List<String> eventArgs(EventContext ctx) {
        List<String> args = new ArrayList<>();
        add(args, "--event", ctx.kind().keyword());
        add(args, "--branch", ctx.branch());
        add(args, "--tag", ctx.tag());
        event.inputs.forEach(i -> add(args, "--input", i));
        if (ctx.changed() != null && !ctx.changed().isEmpty()) {
            // Pinned too: a pull request's target branch may move on before the resume.
            ctx.changed().forEach(c -> add(args, "--changed", c));
        } else {
            add(args, "--base", event.base);
        }
        add(args, "--as", event.as);
        add(args, "--sha", ctx.sha());
        return args;
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null) {
            args.add(option);
            args.add(value);
        }
    }
}
