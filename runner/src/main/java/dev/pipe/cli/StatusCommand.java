package dev.pipe.cli;

import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLookupException;
import dev.pipe.engine.journal.RunState;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run's status: each stage and step, how it ended and why, read from its journal.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run's id or a unique prefix. Default: the latest run.")
    String runId;

    @Mixin
    StateDir state;

    @Override
    public Integer call() throws Exception {
        RunDir run = find(state.store(parent.cli.env()), runId);
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
