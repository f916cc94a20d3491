package dev.pipe.cli;

import dev.pipe.engine.journal.RunDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the logs of a run's steps (secrets already masked), each line prefixed [stage/step].",
                "With --follow, keep printing as a running run writes more."})
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run's id or a unique prefix. Default: the latest run.")
    String runId;

    @Option(names = "--stage", paramLabel = "STAGE", description = "Only this stage instance.")
    String stage;

    @Option(names = "--step", paramLabel = "STEP", description = "Only this step.")
    String step;

    @Option(names = "--follow", description = "Keep printing new output until the run ends.")
    boolean follow;

    @Mixin
    StateDir state;

    @Override
    public Integer call() throws Exception {
        RunDir run = StatusCommand.find(state.store(parent.cli.env()), runId);
        var out = parent.cli.out();
        List<long[]> positions = new ArrayList<>();
        List<Path> printed = new ArrayList<>();
        while (true) {
            for (Path log : logs(run)) {
                int i = printed.indexOf(log);
                if (i < 0) {
                    printed.add(log);
                    positions.add(new long[] {0});
                    i = printed.size() - 1;
                }
                positions.get(i)[0] = print(log, positions.get(i)[0], label(run, log), out);
            }
            if (!follow || run.state().status().isFinal()) {
                break;
            }
            Thread.sleep(200);
        }
        if (printed.isEmpty()) {
            out.println("No logs" + (stage == null ? "" : " for stage " + stage) + (step == null ? "" : " step " + step)
                    + " in run " + run.id() + ".");
        }
        return Exit.OK;
    }

    private List<Path> logs(RunDir run) throws IOException {
        if (!Files.isDirectory(run.logs())) {
            return List.of();
        }
        // In the order the steps started, as the journal tells it; logs it does not know come last.
        List<String> order = new ArrayList<>();
        run.state().stages().values().forEach(st -> st.steps().keySet().forEach(sp -> order.add(st.name() + "/" + sp)));
        java.util.function.ToIntFunction<Path> rank = p -> {
            int i = order.indexOf(label(run, p));
            return i < 0 ? Integer.MAX_VALUE : i;
        };
        try (Stream<Path> files = Files.walk(run.logs())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String[] parts = label(run, p).split("/", 2);
                        return (stage == null || parts[0].equals(stage)) && (step == null || parts[1].equals(step));
                    })
                    .sorted(java.util.Comparator.comparingInt(rank).thenComparing(java.util.Comparator.naturalOrder()))
                    .toList();
        }
    }

    private static String label(RunDir run, Path log) {
        Path rel = run.logs().relativize(log);
        String stageName = dev.pipe.engine.journal.FileNames.decode(rel.getParent().toString());
        String file = rel.getFileName().toString();
        String stepName = dev.pipe.engine.journal.FileNames.decode(file.endsWith(".log") ? file.substring(0, file.length() - 4) : file);
        return stageName + "/" + stepName;
    }

    /** Prints the lines written since {@code from}; returns where the next call should start. */
    private long print(Path log, long from, String label, java.io.PrintStream out) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            bytes = in.readAllBytes();
        }
        int end = bytes.length;
        if (follow) {
            // While following, a line still being written waits for its newline.
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
        }
        String text = new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
        text.lines().forEach(line -> out.println("[" + label + "] " + line));
        return from + end;
    }
}
