package dev.pipe.lang.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.gen.Seeds;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Mutated examples and golden inputs never make the parser throw: each gives a tree or at least
 * one error whose span lies within the text; trees that come out are formatted and checked.
 */
class ParserFuzzTest {
    static final int CASES = Math.max(Seeds.cases(10_000), 1);

    @Test
    void mutatedFilesGiveATreeOrErrorsButNeverThrow() {
        List<Path> corpus = corpus();
        int perFile = (CASES + corpus.size() - 1) / corpus.size();
        long base = Seeds.seed(2_0260_0003L);
        int parsed = 0;
        for (Path file : corpus) {
            String original = read(file);
            for (long seed = base; seed < base + perFile; seed++) {
                // The same seed mutates each file differently, and reruns alone with -Dpipe.cases=1.
                String mutated = Mutator.mutate(original, new Random(seed * 31 + file.getFileName().toString().hashCode()));
                try {
                    ParseResult result = SourceParser.parse(new SourceFile(file.getFileName().toString(), mutated));
                    check(result, mutated);
                    if (result.program() != null) {
                        parsed++;
                        analyse(result);
                    }
                } catch (AssertionError | RuntimeException | StackOverflowError e) {
                    throw new AssertionFailedError(Seeds.rerun(seed) + " on " + file + ": " + e
                            + "\n--- mutated text:\n" + mutated, e);
                }
            }
        }
        assertTrue(parsed > 0, "no mutated file parsed, so the formatter was never exercised");
    }

    /** Every phase that takes a parsed file runs here, so that each of them meets the mutants. */
    private static void analyse(ParseResult result) {
        FormatAssertions.roundTrip(result);
    }

    private static void check(ParseResult result, String text) {
        if (result.program() == null) {
            assertTrue(result.diagnostics().stream().anyMatch(Diagnostic::isError), "no tree, yet no error");
        }
        for (Diagnostic d : result.diagnostics()) {
            assertTrue(d.span() != null && d.span().end() <= text.length(), () -> "span outside the text: " + d);
            assertTrue(!d.message().isBlank(), () -> "empty message: " + d);
        }
        new DiagnosticRenderer(false).render(result.diagnostics());
    }

    @Test
    void tenThousandNestedBracketsStopWithE003() {
        assertTooDeep("pipeline x\nvars { a = " + "[".repeat(10_000) + "]".repeat(10_000) + " }\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {" || a", " && a", " == a", " ?? a", " < a", ".b", "()"})
    void tenThousandTermChainsStopWithE003(String link) {
        assertTooDeep("pipeline x\nvars { a = a" + link.repeat(10_000) + " }\n");
    }

    @Test
    void tenThousandNotsStopWithE003() {
        assertTooDeep("pipeline x\nvars { a = " + "!".repeat(10_000) + "a }\n");
    }

    @Test
    void theDeepestAcceptedExpressionFormats() {
        int depth = SourceParser.MAX_NESTING - 1;
        String deep = "pipeline x\n\nvars {\n  a = " + "(".repeat(depth) + "a" + ")".repeat(depth) + "\n}\n";
        ParseResult result = SourceParser.parse(new SourceFile("deep.pipe", deep));
        assertTrue(result.ok(), FormatAssertions.diagnostics(result));
        assertEquals(deep, FormatAssertions.roundTrip(result));
    }

    private static void assertTooDeep(String text) {
        ParseResult result = SourceParser.parse(new SourceFile("deep.pipe", text));
        assertNull(result.program());
        assertEquals(List.of(Code.TOO_DEEP), result.diagnostics().stream().map(Diagnostic::code).toList());
        assertEquals("E003", result.diagnostics().getFirst().code().id());
        check(result, text);
    }

    /** Every example pipeline and every golden input of the grammar module. */
    static List<Path> corpus() {
        List<Path> files = new ArrayList<>();
        files.addAll(pipeFiles(repositoryRoot().resolve("examples")));
        files.addAll(pipeFiles(Path.of("src/test/resources/golden")));
        assertTrue(files.size() > 1, "too few files to mutate: " + files);
        return files;
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> pipeFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
