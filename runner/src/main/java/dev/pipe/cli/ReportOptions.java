package dev.pipe.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How `pipe run` and `pipe resume` report besides the journal. */
final class ReportOptions {
    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (lines prefixed [stage/step] and a summary) or json (one JSON event per line).")
    String output;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write a JUnit XML report: stages as suites, steps as cases.")
    Path junit;

    /** On a terminal, text output is a live view redrawn in place; elsewhere plain lines. */
    RunSession.Reporting reporting(Terminal terminal) {
        if (!output.equals("text") && !output.equals("json")) {
            throw CliException.usage("--output must be text or json, not `" + output + "`");
        }
        boolean json = output.equals("json");
        return new RunSession.Reporting(json, junit, !json && terminal.tty(), terminal.color());
    }
}
