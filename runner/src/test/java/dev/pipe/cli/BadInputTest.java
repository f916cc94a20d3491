package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input never produces a stack trace or a hang: one clear line (or a rendered diagnostic)
 * and a documented exit code, for every command that reads files.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> cases() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pipe"), "");
        Path blank = Files.writeString(dir.resolve("blank.pipe"), "  \n\n");
        Path binary = Files.write(dir.resolve("binary.pipe"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, 0, 0});
        Path latin1 = Files.write(dir.resolve("latin1.pipe"),
                "pipeline caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Path big = dir.resolve("big.pipe");
        try (OutputStream o = Files.newOutputStream(big)) {
            byte[] line = "// padding padding padding padding padding padding padding padding padding\n"
                    .getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written < 50L * 1000 * 1000; written += line.length) {
                o.write(line);
            }
        }
        Path nested = Files.writeString(dir.resolve("nested.pipe"),
                "pipeline deep\nvars { x = " + "[".repeat(10_000) + "]".repeat(10_000) + " }\n");
        Path parens = Files.writeString(dir.resolve("parens.pipe"),
                "pipeline deep\nstage a { when " + "(".repeat(10_000) + "true" + ")".repeat(10_000)
                        + " step \"s\" { sh \"true\" } }\n");
        return Stream.of(
                Arguments.of("missing file", dir.resolve("nope.pipe"), Exit.USAGE, "no such file"),
                Arguments.of("directory", dir, Exit.USAGE, "is a directory"),
                Arguments.of("empty file", empty, Exit.ERRORS, "the file is empty"),
                Arguments.of("blank file", blank, Exit.ERRORS, "the file is empty"),
                Arguments.of("binary file", binary, Exit.ERRORS, "looks like a binary file"),
                Arguments.of("invalid UTF-8", latin1, Exit.ERRORS, "is not valid UTF-8"),
                Arguments.of("50 MB file", big, Exit.ERRORS, "pipe reads pipeline files up to 16 MB"),
                Arguments.of("10,000 nested brackets", nested, Exit.ERRORS, "E003"),
                Arguments.of("10,000 nested parentheses", parens, Exit.ERRORS, "E003"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkFmtAndPlanFailCleanly(String name, Path file, int code, String expected) {
        for (String[] args : new String[][] {
                {"check", file.toString()}, {"fmt", "--check", file.toString()}, {"plan", file.toString()}}) {
            CliRun r = CliRun.of(args);
            String all = r.out() + r.err();
            assertEquals(code, r.code(), () -> String.join(" ", args) + "\n" + r);
            assertTrue(all.contains(expected), () -> "expected `" + expected + "` in\n" + r);
            assertFalse(all.contains("Exception") || all.contains("\tat "), () -> "stack trace in\n" + r);
            assertTrue(all.lines().count() <= 8, () -> "more than a short message:\n" + r);
            assertTrue(all.lines().allMatch(l -> l.length() <= 200), () -> "a line longer than 200 chars:\n" + r);
        }
    }
}
