package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checker never throws on a tree that parsed: the golden cases, mutated by deleting,
 * repeating and swapping tokens, are parsed and every one that parses is checked.
 */
class CheckerRobustnessTest {
    private static final CheckOptions OPTIONS = new CheckOptions(new Builtins(), new FileImportResolver());
    private static final Pattern TOKEN = Pattern.compile("\\s+|\"[^\"\\n]*\"|[A-Za-z0-9_.]+|.");
    private static final int CASES = 4_000;

    @Test
    void mutatedPipelinesNeverMakeTheCheckerThrow() throws IOException {
        long seed = Long.getLong("pipe.seed", 20260101L);
        System.out.println("CheckerRobustnessTest seed " + seed + " (rerun with -Dpipe.seed=" + seed + ")");
        Random random = new Random(seed);
        List<List<String>> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden/check"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pipe")).sorted().toList()) {
                sources.add(tokens(Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        for (int i = 0; i < CASES; i++) {
            List<String> tokens = new ArrayList<>(sources.get(random.nextInt(sources.size())));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && !tokens.isEmpty(); e++) {
                mutate(tokens, random);
            }
            String text = String.join("", tokens);
            try {
                ParseResult parsed = SourceParser.parse(new SourceFile("fuzz.pipe", text));
                Checker.check(parsed, OPTIONS);
            } catch (RuntimeException | StackOverflowError e) {
                e.printStackTrace();
                fail("seed " + seed + ", case " + i + ": the checker threw " + e + " on:\n" + text);
            }
        }
    }

    /**
     * Random trees of every construct, templates, their uses and {@code params.NAME} included, as
     * text: expansion meets templates that use themselves, unknown names, wrong kinds and settings
     * set twice, and must report them, never throw.
     */
    @Test
    void generatedPipelinesWithTemplatesNeverMakeTheCheckerThrow() {
        long seed = Long.getLong("pipe.seed", 20260101L);
        Random random = new Random(seed);
        dev.pipe.lang.gen.ProgramGenerator generator = new dev.pipe.lang.gen.ProgramGenerator(random);
        for (int i = 0; i < 500; i++) {
            String text = dev.pipe.lang.format.Formatter.format(generator.program());
            try {
                ParseResult parsed = SourceParser.parse(new SourceFile("generated.pipe", text));
                Checker.compile(parsed, OPTIONS);
            } catch (RuntimeException | StackOverflowError e) {
                e.printStackTrace();
                fail("seed " + seed + ", case " + i + ": the checker threw " + e + " on:\n" + text);
            }
        }
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void mutate(List<String> tokens, Random random) {
        int i = random.nextInt(tokens.size());
        switch (random.nextInt(3)) {
            case 0 -> tokens.remove(i);
            case 1 -> tokens.add(random.nextInt(tokens.size() + 1), tokens.get(i));
            default -> {
                int j = random.nextInt(tokens.size());
                String t = tokens.get(i);
                tokens.set(i, tokens.get(j));
                tokens.set(j, t);
            }
        }
    }
}
