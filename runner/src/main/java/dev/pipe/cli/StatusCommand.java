package dev.pipe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.HistoryFile;
import dev.pipe.engine.deploy.Ledger;
import dev.pipe.engine.deploy.LedgerException;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLookupException;
import dev.pipe.engine.journal.RunState;
import dev.pipe.lang.diag.Suggest;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a run's status: each stage and step, how it ended and why.",
                "Or an environment's: what runs there now, whether a later attempt may have",
                "changed it, and what a rollback would restore. The argument is an environment",
                "when .pipe/environments/ has a folder of that name, else a run."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "RUN|ENV", arity = "0..1",
            description = "An environment, or a run's id or unique prefix. Default: the latest run.")
    String runId;

    @Option(names = "--env", paramLabel = "NAME", description = "Show this environment, never a run.")
    String envName;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, or json (environments only): one object.")
    String output;

    @Mixin
    StateDir state;

    @Override
    public Integer call() throws Exception {
        boolean json = HistoryCommand.jsonOutput(output);
        Ledger ledger = HistoryCommand.ledger(state, parent.cli.env());
        if (envName != null) {
            if (runId != null) {
                throw CliException.usage("give a run or --env NAME, not both");
            }
            return environment(ledger, envName, json);
        }
        if (runId != null && HistoryCommand.isEnvironment(ledger, runId)) {
            return environment(ledger, runId, json);
        }
        if (json) {
            throw CliException.usage("--output json shows an environment's status; a run's status is text "
                    + "(its journal, .pipe/runs/RUN/journal.jsonl, is the JSON)");
        }
        RunDir run;
        try {
            run = find(state.store(parent.cli.env()), runId);
        } catch (CliException e) {
            throw runOrEnvironment(e, ledger);
        }
        RunState s = run.state();
        var out = parent.cli.out();
        out.println("run " + run.id() + ": " + word(s.status().name()) + " — " + s.pipeline() + ", " + s.event());
        if (s.cancelReason() != null) {
            out.println("  cancelled: " + s.cancelReason());
        }
        if (s.resumes() > 0) {
            out.println("  resumed " + s.resumes() + (s.resumes() == 1 ? " time" : " times"));
        }
        for (RunState.StageState stage : s.stages().values()) {
            String status = stage.status() == null ? word(stage.progress().name()) : word(stage.status().name());
            if (stage.status() == null && stage.waiting() != null) {
                // A stage at a gate: which one, and for what.
                out.println("  waiting " + stage.name() + " at the " + stage.waiting().gate() + ": " + stage.waiting().detail());
                continue;
            }
            out.println("  " + status + " " + stage.name() + (stage.reason() == null ? "" : ": " + stage.reason()));
            for (RunState.StepState step : stage.steps().values()) {
                String outcome = step.outcome() == null ? "running" : word(step.outcome().name());
                out.println("      " + outcome + " " + step.name()
                        + (step.attempt() > 1 ? " (attempt " + step.attempt() + ")" : "")
                        + (step.durationMs() == null ? "" : String.format(" %.1fs", step.durationMs() / 1000.0))
                        + (step.reason() == null ? "" : ": " + step.reason()));
            }
        }
        return Exit.OK;
    }

    /**
     * A name that is neither a run nor an environment: the run lookup's message, and the
     * environment it may have meant, since `pipe status NAME` reads both.
     */
    private CliException runOrEnvironment(CliException e, Ledger ledger) {
        if (runId == null) {
            return e;
        }
        List<String> environments;
        try {
            environments = ledger.environments();
        } catch (IOException | RuntimeException ignored) {
            return e;
        }
        String near = Suggest.closest(runId, environments);
        if (near == null) {
            return e;
        }
        return new CliException(e.exitCode(), e.getMessage() + " Nor is it an environment; did you mean `" + near + "`?");
    }

    /** `pipe status ENV`: what runs there now, what may have disturbed it since, and what a rollback would restore. */
    private int environment(Ledger ledger, String environment, boolean json) {
        HistoryFile file = HistoryCommand.read(ledger, environment);
        Optional<Ledger.Current> current = HistoryCommand.reading(ledger, environment, () -> ledger.current(environment));
        Optional<Deployment> rollback = current.isEmpty() ? Optional.empty()
                : HistoryCommand.reading(ledger, environment, () -> {
                    try {
                        return Optional.of(ledger.rollbackTarget(environment));
                    } catch (LedgerException e) {
                        // Without a cause it is the ledger's answer "nothing to roll back to";
                        // with one, the history is damaged, which `reading` reports.
                        if (e.getCause() != null) {
                            throw e;
                        }
                        return Optional.<Deployment>empty();
                    }
                });
        List<Deployment> newest = file.newestFirst();
        Optional<Deployment> latest = newest.stream().findFirst();
        var out = parent.cli.out();
        if (json) {
            ObjectNode o = HistoryCommand.mapper().createObjectNode();
            o.put("environment", environment);
            o.put("attempts", newest.size());
            current.ifPresent(c -> o.set("current", HistoryCommand.tree(c.deployment())));
            current.flatMap(Ledger.Current::unsettledBy).ifPresent(d -> o.set("unsettled_by", HistoryCommand.tree(d)));
            latest.ifPresent(d -> o.set("latest", HistoryCommand.tree(d)));
            rollback.ifPresent(d -> o.set("rollback_target", HistoryCommand.tree(d)));
            out.println(HistoryCommand.json(o));
            return Exit.OK;
        }
        if (newest.isEmpty()) {
            out.println(HistoryCommand.noDeployments(environment));
            return Exit.OK;
        }
        if (current.isEmpty()) {
            out.println(environment + ": nothing deployed successfully yet (" + newest.size()
                    + (newest.size() == 1 ? " attempt" : " attempts") + "; `pipe history " + environment + "` lists them)");
            out.println(label("latest") + attempt(latest.get()));
            out.println(label("rollback") + "nothing to roll back to");
            return Exit.OK;
        }
        Deployment now = current.get().deployment();
        out.println(environment + ": " + named(now)
                + (now.kind() == Deployment.Kind.MANUAL_ROLLBACK ? " (a manual rollback)" : ""));
        out.println(label("deployed") + HistoryCommand.time(now.finishedAt()) + " by run " + now.runId()
                + " (stage " + HistoryCommand.clean(now.stage()) + ")"
                + (now.triggeredBy() == null ? "" : ", started by " + HistoryCommand.clean(now.triggeredBy())));
        if (!now.approvals().isEmpty()) {
            out.println(label("approved") + "by " + HistoryCommand.approvers(now));
        }
        if (now.windowOverride() != null) {
            out.println(label("override") + "window override by " + HistoryCommand.clean(now.windowOverride().by()) + ": "
                    + HistoryCommand.clean(now.windowOverride().reason()));
        }
        if (now.url() != null) {
            out.println(label("url") + HistoryCommand.clean(now.url()));
        }
        Optional<Deployment> unsettledBy = current.get().unsettledBy();
        unsettledBy.ifPresent(d -> out.println(label("UNSETTLED") + attempt(d) + "; " + environment
                + " may no longer run " + named(now)));
        // A later attempt that changed nothing lasting (refused at a gate, rolled back) is still worth a line.
        if (!latest.get().equals(now) && !unsettledBy.equals(latest)) {
            out.println(label("latest") + attempt(latest.get()));
        }
        out.println(label("rollback") + rollback.map(d -> "would restore " + named(d) + ", deployed "
                        + HistoryCommand.time(d.finishedAt()) + " by run " + d.runId())
                .orElse("nothing to roll back to (no other version ran here successfully before it)"));
        return Exit.OK;
    }

    /** {@code run R (stage S) tried to deploy v1.5.0 at T: rollback to v1.4.0 FAILED (cause)}. */
    private static String attempt(Deployment d) {
        return "run " + d.runId() + " (stage " + HistoryCommand.clean(d.stage()) + ") "
                + (d.kind() == Deployment.Kind.MANUAL_ROLLBACK ? "rolled back by hand" : "tried to deploy")
                + (d.version() == null ? "" : (d.kind() == Deployment.Kind.MANUAL_ROLLBACK ? " to " : " ") + HistoryCommand.version(d))
                + " at " + HistoryCommand.time(d.startedAt()) + ": " + HistoryCommand.outcome(d)
                + (d.cause() == null ? "" : " (" + HistoryCommand.clean(d.cause()) + ")");
    }

    /** The version, or for a stage whose `deploy to` names none, the run that deployed it. */
    private static String named(Deployment d) {
        return d.version() != null ? HistoryCommand.clean(d.version()) : "the deployment of run " + d.runId();
    }

    private static String label(String name) {
        return String.format("  %-11s", name);
    }

    static String word(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static RunDir find(dev.pipe.engine.journal.RunStore store, String id) throws java.io.IOException {
        try {
            if (id == null) {
                return store.latest().orElseThrow(() -> CliException.usage("no runs yet; start one with `pipe run FILE`"));
            }
            return store.find(id);
        } catch (RunLookupException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
