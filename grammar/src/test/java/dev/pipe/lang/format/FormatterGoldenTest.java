package dev.pipe.lang.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.golden.Golden;
import dev.pipe.lang.parse.ParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code golden/fmt/NAME.pipe}, written messily, beside {@code NAME.fmt}, its canonical form.
 * Each case also round-trips: the expectation parses to the same tree and formats to itself.
 */
class FormatterGoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden/fmt");

    @TestFactory
    Stream<DynamicTest> formatsEachCaseToItsExpectation() {
        return Golden.cases(DIR, "fmt", path -> {
            ParseResult parsed = FormatAssertions.parse(path.getFileName().toString(), read(path));
            assertTrue(parsed.ok(), () -> FormatAssertions.diagnostics(parsed));
            return FormatAssertions.roundTrip(parsed);
        });
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
