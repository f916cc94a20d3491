package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker stays linear and iterative: large pipelines and long need chains are cheap and cannot overflow the stack. */
class CheckerScaleTest {
    private static final CheckOptions OPTIONS = new CheckOptions(new Builtins(), new FileImportResolver());

    /** {@code n} stages, each needing the one before and reading its output; {@code loop} closes the chain. */
    static String chain(int n, boolean loop) {
        StringBuilder sb = new StringBuilder("pipeline big\n\non push branches [\"main\"]\n\nvars { image = \"app\" }\n\n");
        for (int i = 0; i < n; i++) {
            sb.append("stage s").append(i).append(" {\n");
            if (i > 0) {
                sb.append("  needs [s").append(i - 1).append("]\n");
            } else if (loop) {
                sb.append("  needs [s").append(n - 1).append("]\n");
            }
            sb.append("  when git.branch == \"main\" && !changed(\"docs/**\")\n");
            sb.append("  step \"build\" { docker.build tag: \"${image}:").append(i).append("\" }\n");
            sb.append("  step \"use\" { sh \"echo ${steps.build.digest}");
            if (i > 0) {
                sb.append(" ${stages.s").append(i - 1).append(".digest}");
            }
            sb.append("\" timeout 10m }\n");
            sb.append("  output digest = steps.build.digest\n}\n\n");
        }
        return sb.toString();
    }

    private static ParseResult parse(String text) {
        ParseResult parsed = SourceParser.parse(new SourceFile("big.pipe", text));
        assertNotNull(parsed.program(), () -> parsed.diagnostics().toString());
        return parsed;
    }

    @Test
    void tenThousandStagesCheckQuickly() {
        ParseResult parsed = parse(chain(10_000, false));
        Checker.check(parse(chain(500, false)), OPTIONS); // warm up the JIT on a small file
        // The best of three runs, so that a busy machine or a collection does not decide the outcome.
        long millis = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            List<Diagnostic> diagnostics = Checker.check(parsed, OPTIONS);
            millis = Math.min(millis, (System.nanoTime() - start) / 1_000_000);
            assertEquals(List.of(), diagnostics);
        }
        System.out.println("checked 10,000 stages in " + millis + " ms (best of 3)");
        assertTrue(millis < 2_000, "checking 10,000 stages took " + millis + " ms; something has become quadratic");
    }

    @Test
    void longNeedChainsAndCyclesDoNotOverflow() {
        List<Diagnostic> diagnostics = Checker.check(parse(chain(10_000, true)), OPTIONS);
        List<Diagnostic> cycles = diagnostics.stream().filter(d -> d.code() == Code.CYCLE).toList();
        assertEquals(1, cycles.size(), diagnostics.toString());
        assertTrue(cycles.get(0).message().contains("… (10000 stages)"), cycles.get(0).message());
    }
}
