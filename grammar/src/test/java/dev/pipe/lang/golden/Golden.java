package dev.pipe.lang.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Golden tests: every {@code NAME.pipe} in a folder sits beside its expected output
 * {@code NAME.<suffix>}. One dynamic test per case. A missing expectation fails; run with
 * {@code -Dgolden.update=true} to (re)write expectations, then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    public static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }

    /**
     * @param dir folder of cases, relative to the module (e.g. {@code src/test/resources/golden/check})
     * @param suffix extension of expectation files, such as {@code err} or {@code plan.txt}
     * @param run produces the actual output of one case
     */
    public static Stream<DynamicTest> cases(Path dir, String suffix, Function<Path, String> run) {
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (inputs.isEmpty()) {
            fail("no golden cases in " + dir.toAbsolutePath());
        }
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            String name = input.getFileName().toString();
            Path expected = input.resolveSibling(name.substring(0, name.length() - ".pipe".length()) + "." + suffix);
            String actual = run.apply(input);
            if (updating()) {
                Files.writeString(expected, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(expected)) {
                fail("missing expectation " + expected + " (run with -Dgolden.update=true to create it)\nactual:\n" + actual);
            }
            assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, "golden " + expected);
        }));
    }
}
