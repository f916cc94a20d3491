package dev.pipe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pipe",
        description = "Pipelines as code: check, format, plan and run .pipe files.",
        mixinStandardHelpOptions = true,
        versionProvider = PipeCommand.Version.class,
        subcommands = {CheckCommand.class, FmtCommand.class, PlanCommand.class, RunCommand.class, ResumeCommand.class,
                RunsCommand.class, StatusCommand.class, HistoryCommand.class, LogsCommand.class, DecideCommand.Approve.class,
                DecideCommand.Reject.class, RollbackCommand.class, DocsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 errors found or the run failed, 2 usage error, 3 the run waits for approval,",
                "4 a rollback failed, 130 cancelled, 70 internal error.",
                "Docs: docs/cli.md, docs/language.md"})
public final class PipeCommand implements Runnable {
    final Main.Cli cli;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", scope = CommandLine.ScopeType.INHERIT,
            description = "Colour output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    String color;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PipeCommand(Main.Cli cli) {
        this.cli = cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: check, fmt, plan, run, resume, runs, status, history, logs, approve, reject, rollback or docs");
    }

    Terminal terminal() {
        if (!color.equals("auto") && !color.equals("always") && !color.equals("never")) {
            throw CliException.usage("--color must be auto, always or never, not `" + color + "`");
        }
        return Terminal.detect(cli.env(), color);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PipeCommand.class.getPackage().getImplementationVersion();
            return new String[] {"pipe " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
