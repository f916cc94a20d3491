package dev.pipe.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "main, main, true",
            "main, mainline, false",
            "feature/*, feature/login, true",
            "feature/*, feature/a/b, false",
            "feature/**, feature/a/b, true",
            "feature/**, feature/, true",
            "feature/**, feature, false",
            "v*, v1.2.3, true",
            "v*.*.*, v1.2.3, true",
            "v*.*.*, v1.2, false",
            "v?.0, v1.0, true",
            "v?.0, v10.0, false",
            "?, /, false",
            "src/**/*.js, src/a.js, true",
            "src/**/*.js, src/a/b/c.js, true",
            "src/**/*.js, src/a/b/c.ts, false",
            "**/*.md, README.md, true",
            "**/*.md, docs/guide/intro.md, true",
            "**, anything/at/all, true",
            "*, a/b, false",
            "*.js, '', false",
            "'', '', true",
            "release/*-rc, release/1.0-rc, true",
            "a*b*c, abxxbyc, true",
            "a*b*c, abxxbyd, false",
    })
    void matches(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text));
    }

    @Test
    void manyStarsStayFast() {
        String text = "a".repeat(5000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertFalse(Glob.matches("*a*a*a*a*a*a*a*a*a*a*b", text));
            assertTrue(Glob.matches("**a**a**a**a**", text));
        });
    }

    /** Random patterns and texts over a small alphabet agree with an independent regex translation. */
    @Test
    void agreesWithRegexReference() {
        long seed = Long.getLong("pipe.seed", 20261124L);
        Random random = new Random(seed);
        String patternChars = "ab/*?";
        String textChars = "ab/";
        for (int i = 0; i < 20_000; i++) {
            String pattern = randomString(random, patternChars, 8);
            String text = randomString(random, textChars, 10);
            boolean expected = reference(pattern).matcher(text).matches();
            boolean actual = Glob.matches(pattern, text);
            if (expected != actual) {
                throw new AssertionError("seed " + seed + ": `" + pattern + "` ~ `" + text + "` gave " + actual
                        + ", expected " + expected + " (rerun with -Dpipe.seed=" + seed + ")");
            }
        }
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The documented meaning, spelled as a regex: ** / may be empty, ** spans, * and ? stay in a segment. */
    private static Pattern reference(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**", i)) {
                int j = i;
                while (j < glob.length() && glob.charAt(j) == '*') {
                    j++;
                }
                if (j < glob.length() && glob.charAt(j) == '/') {
                    re.append("(?:.*/)?");
                    i = j + 1;
                } else {
                    re.append(".*");
                    i = j;
                }
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
