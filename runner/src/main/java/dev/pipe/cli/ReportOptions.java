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

    RunSession.Reporting reporting() {
        if (!output.equals("text") && !output.equals("json")) {
            throw CliException.usage("--output must be text or json, not `" + output + "`");
        }
        return new RunSession.Reporting(output.equals("json"), junit);
    }
}
