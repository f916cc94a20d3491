package dev.pipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLock;
import dev.pipe.engine.journal.RunLookupException;
import dev.pipe.engine.journal.RunLockedException;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.StageStatus;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.run.DagScheduler;
import dev.pipe.engine.run.RunEngine;
import dev.pipe.engine.secrets.Masker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue a run that was killed, cancelled or failed: stages that succeeded are kept,",
                "steps that succeeded are not run again, and everything else runs as planned."},
        footer = {"", "Exit codes: as for `pipe run`. A run is refused when another pipe process still drives it,",
                "when it already succeeded, or when its .pipe file changed since it started."})
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "RUN", description = "The run's id, or a unique prefix of it.")
    String runId;

    @picocli.CommandLine.Option(names = "--wait", description = "At an approval gate, keep waiting until the approvals"
            + " are in instead of pausing again.")
    boolean waitForApprovals;

    @Mixin
    ReportOptions report;

    @Mixin
    StateDir state;

    @Override
    public Integer call() throws Exception {
        RunSession.Reporting reporting = report.reporting(parent.terminal());
        var info = reporting.json() ? parent.cli.err() : parent.cli.out();
        RunDir run;
        try {
            run = state.store(parent.cli.env()).find(runId);
        } catch (RunLookupException e) {
            throw CliException.usage(e.getMessage());
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(run);
        } catch (RunLockedException e) {
            throw new CliException(Exit.ERRORS, e.getMessage());
        }
        if (java.nio.file.Files.exists(run.dir().resolve("rollback.json"))) {
            lock.close();
            throw new CliException(Exit.ERRORS, "run " + run.id() + " is a manual rollback, which is not resumed;"
                    + " run `pipe rollback` again");
        }
        RunState before = run.state();
        if (before.runId() == null || !java.nio.file.Files.exists(run.dir().resolve("request.json"))) {
            lock.close();
            throw new CliException(Exit.ERRORS, "run " + run.id() + " was stopped before it started anything;"
                    + " there is nothing to resume, so start a new run");
        }
        if (before.status() == RunStatus.SUCCEEDED) {
            lock.close();
            parent.cli.out().println("run " + run.id() + " already succeeded; there is nothing to resume.");
            return Exit.OK;
        }
        RunCommand.Request request = new ObjectMapper().readValue(run.dir().resolve("request.json").toFile(),
                RunCommand.Request.class);
        RunCommand again = new RunCommand();
        List<String> args = new ArrayList<>(request.args());
        args.add("--at");
        args.add(request.at());
        args.add(request.file());
        new CommandLine(again).parseArgs(args.toArray(String[]::new));
        EventContext ctx = again.event.context(Map.of("PIPE_USER", before.triggeredBy() == null ? "" : before.triggeredBy()),
                Path.of(request.file()));
        Compiler.Compiled compiled = Compiler.compile(Path.of(request.file()));
        if (compiled.hasErrors()) {
            lock.close();
            throw new CliException(Exit.ERRORS, request.file() + " has errors now; fix them before resuming (`pipe check`)");
        }
        Plan plan = RunnerOption.apply(RunCommand.plan(compiled, ctx), request.runner());
        if (!plan.digest().equals(before.planDigest())) {
            lock.close();
            throw new CliException(Exit.ERRORS, "the plan of run " + run.id() + " changed since it started (the .pipe"
                    + " file or what it reads is different); start a new run instead");
        }
        Map<String, String> leftOut = Selection.leftOut(plan, request.only(), request.from());
        Map<String, String> secrets = RunCommand.secrets(Selection.selected(plan, leftOut), compiled.program(),
                request.secretsFile() == null ? null : Path.of(request.secretsFile()), parent.cli.env());
        Masker masker = Masker.of(secrets.values());
        Map<String, RunEngine.StageResult> stages = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, String>>> steps = new LinkedHashMap<>();
        for (RunState.StageState s : before.stages().values()) {
            if (s.finished() && s.status() == StageStatus.SUCCEEDED) {
                stages.put(s.name(), new RunEngine.StageResult(DagScheduler.Result.succeeded(), s.outputs()));
            } else if (plan.stage(s.name()).map(st -> st.deploy() != null).orElse(false)) {
                // A deployment that did not succeed starts again from its first step: its earlier
                // steps may have been rolled back, so they count for nothing now.
                steps.put(s.name(), Map.of());
            } else {
                steps.put(s.name(), before.stepOutputs(s.name()));
            }
        }
        // Steps of the dead process may still be running in their own sessions: end them first.
        int reaped = RunSession.sessions(run).reap();
        if (reaped > 0) {
            info.println("stopped " + reaped + " process" + (reaped == 1 ? "" : "es")
                    + " left running by the process that drove this run before");
        }
        String removed = DockerSupport.removeLeftovers(plan, run.id(), parent.cli.env());
        if (removed != null) {
            info.println(removed);
        }
        Journal journal = Journal.reopen(run.journal(), masker::mask);
        RunSession.announce(journal, parent.cli.out(), reporting);
        Map<String, java.time.Instant> opened = new LinkedHashMap<>();
        before.stages().values().forEach(st -> {
            if (st.approvalOpenedAt() != null) {
                opened.put(st.name(), st.approvalOpenedAt());
            }
        });
        // A run started with --at keeps its clock: gates judge windows as if no real time had passed before it started.
        java.time.Clock clock = request.clockGiven() && before.startedAt() != null
                ? java.time.Clock.offset(java.time.Clock.systemUTC(),
                        java.time.Duration.between(before.startedAt(), java.time.Instant.parse(request.at())))
                : java.time.Clock.systemUTC();
        RunSession.Gates gates = new RunSession.Gates(state.store(parent.cli.env()).stateDir(), clock,
                request.overrideWindow(), request.waitForApprovals() || waitForApprovals, opened,
                "1".equals(parent.cli.env().get("PIPE_ASK")) && !reporting.json());
        return RunSession.drive(new RunSession.Setup(compiled.program(), plan, ctx, Path.of(request.file()), run,
                secrets, masker, request.parallel(), request.failFast(), stages, steps, leftOut, gates, parent.cli.env()),
                journal, lock, parent.cli.out(), reporting, () -> {
                    journal.append(new JournalEvent.RunResumed(ProcessHandle.current().pid()));
                    info.println("resuming run " + run.id() + ": " + stages.size() + " stage"
                            + (stages.size() == 1 ? "" : "s") + " already done");
                });
    }
}
