package dev.pipe.cli;

import dev.pipe.engine.plan.Plan;
import picocli.CommandLine.Option;

/**
 * {@code --runner local}: run every stage on this machine, whatever runner it names. For
 * trying a pipeline's container stages on a laptop where their tools are installed (node, a
 * JDK...), the way they will run on a shell agent. Stages with services still need a container
 * engine and are refused; leave them out with {@code --only} or {@code --from}.
 */
final class RunnerOption {
    @Option(names = "--runner", paramLabel = "RUNNER",
            description = "local: run every stage on this machine, also those that name a container image.")
    String runner;

    /** The plan as this option changes it. */
    Plan apply(Plan plan) {
        return apply(plan, runner);
    }

    static Plan apply(Plan plan, String runner) {
        if (runner == null) {
            return plan;
        }
        if (!runner.equals("local")) {
            throw CliException.usage("--runner takes `local` (run every stage on this machine), not `" + runner + "`");
        }
        return plan.onThisMachine();
    }
}
