package dev.pipe.engine.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Records commands; answers each step (by $PIPE_STEP) from a script of results, success by default. */
final class FakeExecutor implements Executor {
    record Answer(ExecResult result, String output, Consumer<Cancellation> during) {
    }

    final List<ShellCommand> commands = new ArrayList<>();
    private final Map<String, Deque<Answer>> script = new HashMap<>();

    static ExecResult exit(int code) {
        return new ExecResult(code, false, false, Duration.ofMillis(5));
    }

    FakeExecutor on(String step, ExecResult result, String output) {
        return on(step, new Answer(result, output, null));
    }

    FakeExecutor on(String step, Answer answer) {
        script.computeIfAbsent(step, k -> new ArrayDeque<>()).add(answer);
        return this;
    }

    List<String> steps() {
        return commands.stream().map(c -> c.env().get("PIPE_STEP")).toList();
    }

    ShellCommand command(String step) {
        return commands.stream().filter(c -> c.env().get("PIPE_STEP").equals(step)).findFirst()
                .orElseThrow(() -> new AssertionError("step " + step + " did not run; ran " + steps()));
    }

    @Override
    public synchronized ExecResult exec(ShellCommand command, OutputSink sink, Cancellation cancel) {
        commands.add(command);
        String step = command.env().get("PIPE_STEP");
        Deque<Answer> answers = script.get(step);
        Answer a = answers == null || answers.isEmpty() ? new Answer(exit(0), "", null) : answers.poll();
        sink.write(OutputSink.Stream.STDOUT, "running " + step + "\n");
        if (a.during() != null) {
            a.during().accept(cancel);
        }
        try {
            Files.writeString(Path.of(command.env().get("PIPE_OUTPUT")), a.output() == null ? "" : a.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cancel.isCancelled()) {
            return new ExecResult(143, false, true, Duration.ofMillis(5));
        }
        return a.result();
    }
}
