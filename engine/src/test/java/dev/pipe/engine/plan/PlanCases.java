package dev.pipe.engine.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs golden plan cases: the first line of each {@code NAME.pipe} is a comment with the event,
 * spelled like {@code pipe plan}'s options, e.g.
 * {@code // plan: --event push --branch develop --at 2026-11-24T15:00:00Z --changed src/a.js}.
 * Also understood: {@code --tag}, {@code --input k=v}, {@code --as USER}, {@code --sha SHA}.
 */
final class PlanCases {
    static final Instant DEFAULT_AT = Instant.parse("2026-11-24T15:00:00Z");

    private PlanCases() {
    }

    /** Parses the file and plans it for its first-line event; a PlanException becomes "error: ...". */
    static String run(Path file, Function<Plan, String> render) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParseResult parsed = SourceParser.parse(new SourceFile(file.getFileName().toString(), text));
        assertTrue(parsed.ok(), () -> file + " does not parse: " + parsed.diagnostics());
        EventContext ctx;
        try {
            ctx = event(text.lines().findFirst().orElse(""));
        } catch (PlanException e) {
            return "error: " + e.getMessage() + "\n";
        }
        try {
            return render.apply(Planner.plan(parsed.source(), parsed.program(), ctx));
        } catch (PlanException e) {
            return "error: " + e.getMessage() + "\n";
        }
    }

    static EventContext event(String firstLine) {
        String prefix = "// plan:";
        if (!firstLine.startsWith(prefix)) {
            throw new IllegalArgumentException("a plan case starts with `" + prefix + " --event ...`, not: " + firstLine);
        }
        List<String> args = new ArrayList<>(Arrays.asList(firstLine.substring(prefix.length()).trim().split("\\s+")));
        EventKind kind = EventKind.PUSH;
        Instant at = DEFAULT_AT;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--event" -> kind = EventKind.parse(args.get(i + 1));
                case "--at" -> at = Instant.parse(args.get(i + 1));
                default -> {
                }
            }
        }
        EventContext.Builder b = EventContext.builder(kind, at);
        List<String> changed = null;
        for (int i = 0; i + 1 < args.size(); i += 2) {
            String v = args.get(i + 1);
            switch (args.get(i)) {
                case "--event", "--at" -> {
                }
                case "--branch" -> b.branch(v);
                case "--tag" -> b.tag(v);
                case "--as" -> b.triggeredBy(v);
                case "--sha" -> b.sha(v);
                case "--input" -> {
                    int eq = v.indexOf('=');
                    b.input(v.substring(0, eq), v.substring(eq + 1));
                }
                case "--changed" -> {
                    changed = changed == null ? new ArrayList<>() : changed;
                    changed.add(v);
                }
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + " in: " + firstLine);
            }
        }
        return b.changed(changed).build();
    }
}
