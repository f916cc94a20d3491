package dev.pipe.cli;

import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunState;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List the runs kept under .pipe/runs, newest first, with their status.")
final class RunsCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Mixin
    StateDir state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Show at most N runs (default 20).")
    int limit;

    @Override
    public Integer call() throws Exception {
        List<RunDir> runs = state.store(parent.cli.env()).list();
        var out = parent.cli.out();
        if (runs.isEmpty()) {
            out.println("No runs yet. Start one with `pipe run FILE`.");
            return Exit.OK;
        }
        for (RunDir run : runs.subList(0, Math.min(limit, runs.size()))) {
            String line;
            try {
                RunState s = run.state();
                line = String.format("%-22s %-11s %-12s %s", run.id(), s.status().name().toLowerCase(Locale.ROOT),
                        s.pipeline() == null ? "?" : s.pipeline(), s.event() == null ? "" : s.event());
            } catch (RuntimeException | java.io.IOException e) {
                line = String.format("%-22s %-11s %s", run.id(), "unreadable", e.getMessage());
            }
            out.println(line.stripTrailing());
        }
        return Exit.OK;
    }
}
