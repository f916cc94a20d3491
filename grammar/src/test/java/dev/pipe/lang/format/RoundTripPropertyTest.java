package dev.pipe.lang.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.gen.ProgramGenerator;
import dev.pipe.lang.gen.Seeds;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.syntax.Program;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * For random syntax trees {@code p}: {@code parse(format(p))} is {@code p}, formatting is
 * idempotent, and comments sprinkled anywhere into the text survive formatting exactly once.
 */
class RoundTripPropertyTest {
    static final int CASES = Seeds.cases(2_500);
    private static final Pattern MARKER = Pattern.compile("@c\\d+@");

    @Test
    void formattedTreesParseBackToThemselves() {
        long base = Seeds.seed(2_0260_0002L);
        for (int i = 0; i < CASES; i++) {
            long seed = base + i;
            Program p = new ProgramGenerator(new Random(seed)).program();
            String text = "";
            String commented = "";
            try {
                text = Formatter.format(p);
                ParseResult parsed = FormatAssertions.parse("generated.pipe", text);
                assertTrue(parsed.ok(), FormatAssertions.diagnostics(parsed));
                assertEquals(p, parsed.program(), "the text parses to a different tree");
                assertEquals(text, FormatAssertions.roundTrip(parsed));

                Random r = new Random(seed);
                commented = CommentInjector.inject(text, r, 1 + r.nextInt(8));
                ParseResult withComments = FormatAssertions.parse("commented.pipe", commented);
                assertTrue(withComments.ok(), FormatAssertions.diagnostics(withComments));
                assertEquals(p, withComments.program(), "comments changed the tree");
                String out = FormatAssertions.roundTrip(withComments);
                assertEquals(markers(commented), markers(out), "each comment must appear exactly once");
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionFailedError(Seeds.rerun(seed) + ": " + e.getMessage()
                        + "\n--- formatted tree:\n" + text + "\n--- with comments:\n" + commented, e);
            }
        }
    }

    private static java.util.List<String> markers(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        out.sort(null);
        return out;
    }
}
