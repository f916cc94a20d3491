package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.gen.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage and step names as file names: safe, and reversible. */
class FileNamesTest {
    @TempDir
    Path dir;

    @Test
    void examples() {
        assertEquals("test%5Bnode=18,os=linux%5D", FileNames.encode("test[node=18,os=linux]"));
        assertEquals("run%20tests", FileNames.encode("run tests"));
        assertEquals("build", FileNames.encode("build"));
        assertEquals("%2E", FileNames.encode("."));
        assertEquals("%2E.", FileNames.encode(".."));
        assertEquals("%2Eenv", FileNames.encode(".env"));
        assertEquals("a%2Fb%5Cc", FileNames.encode("a/b\\c"));
        assertEquals("50%25", FileNames.encode("50%"));
        assertEquals("caf%C3%A9", FileNames.encode("café"));
        assertEquals("test[node=18]", FileNames.decode("test%5Bnode=18%5D"));
    }

    @Test
    void decodeRefusesWhatEncodeNeverMakes() {
        for (String bad : new String[] {"", "a b", "%41", "%2e", "%", "%4", "%ZZ", ".env", "%C3", "a/b", "é"}) {
            assertThrows(IllegalArgumentException.class, () -> FileNames.decode(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> FileNames.encode(""));
        assertThrows(IllegalArgumentException.class, () -> FileNames.encode("bad \uD800 surrogate"));
    }

    private static final String ALPHABET = "aZ09._-=,[] %/\\:*?\"<>|~$`'\n\t\0éß中🚀";

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        // At most 16 code points of up to 4 bytes, 12 characters each encoded: never shortened.
        int length = 1 + random.nextInt(16);
        int[] points = ALPHABET.codePoints().toArray();
        while (name.codePointCount(0, name.length()) < length) {
            int r = random.nextInt(10);
            if (r == 0) {
                // Any code point outside the surrogate range.
                int cp;
                do {
                    cp = random.nextInt(Character.MAX_CODE_POINT + 1);
                } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
                name.appendCodePoint(cp);
            } else {
                name.appendCodePoint(points[random.nextInt(points.length)]);
            }
        }
        return name.toString();
    }

    @Test
    void encodingIsReversibleAndSafe() throws Exception {
        long seed = Seeds.seed(20261122L);
        int cases = Seeds.cases(3000);
        Random random = new Random(seed);
        for (int i = 0; i < cases; i++) {
            long caseSeed = random.nextLong();
            String name = randomName(new Random(caseSeed));
            String what = Seeds.rerun(caseSeed) + ", name `" + name.replace("\0", "\\0") + "`";
            String encoded = FileNames.encode(name);
            assertFalse(FileNames.isShortened(encoded), what);
            assertTrue(encoded.matches("[A-Za-z0-9._=,%-]+"), what + " gave " + encoded);
            assertFalse(encoded.startsWith("."), what);
            assertEquals(name, FileNames.decode(encoded), what + " gave " + encoded);
            if (i < 200) {
                // The file system takes it as one file name.
                Path file = dir.resolve(encoded + ".log");
                Files.writeString(file, name);
                assertEquals(encoded + ".log", file.getFileName().toString(), what);
                assertEquals(name, Files.readString(file), what);
            }
        }
    }

    @Test
    void longNamesAreShortenedUniquely() throws Exception {
        String a = "deploy[region=" + "x".repeat(300) + "a]";
        String b = "deploy[region=" + "x".repeat(300) + "b]";
        String ea = FileNames.encode(a);
        String eb = FileNames.encode(b);
        assertNotEquals(ea, eb);
        assertTrue(FileNames.isShortened(ea));
        assertTrue(ea.length() <= FileNames.MAX, ea);
        assertThrows(IllegalArgumentException.class, () -> FileNames.decode(ea));
        Files.writeString(dir.resolve(ea + ".log"), a);

        String wide = "中".repeat(100);
        String ew = FileNames.encode(wide);
        assertTrue(ew.length() <= FileNames.MAX && ew.getBytes(StandardCharsets.UTF_8).length <= 250, ew);
        assertTrue(ew.matches("(%[0-9A-F]{2})+~[0-9a-f]{16}"), "no escape is split: " + ew);
        Files.writeString(dir.resolve(ew + ".log"), wide);

        String fits = "s".repeat(FileNames.MAX);
        assertEquals(fits, FileNames.encode(fits));
        assertFalse(FileNames.isShortened(fits));
    }
}
