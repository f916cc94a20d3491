package dev.pipe.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotenvTest {
    private static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Dotenv.parse(text, ".secrets").forEach(e -> out.put(e.name(), e.value()));
        return out;
    }

    private static String error(String text) {
        return assertThrows(SecretException.class, () -> Dotenv.parse(text, ".secrets")).getMessage();
    }

    @Test
    void everyForm() {
        Map<String, String> values = parse("""
                # a comment

                PLAIN=hunter2
                  export EXPORTED=abc123
                SPACED = some value with spaces   \t
                COMMENTED=value # a comment
                HASH=pa#ss
                EMPTY=
                SINGLE='no $expansion \\n here' # comment
                DOUBLE="tab\\there \\"quoted\\" \\\\ \\$HOME \\q"
                   # 'quoted' = text in a comment
                """);
        assertEquals(Map.of(
                "PLAIN", "hunter2",
                "EXPORTED", "abc123",
                "SPACED", "some value with spaces",
                "COMMENTED", "value",
                "HASH", "pa#ss",
                "EMPTY", "",
                "SINGLE", "no $expansion \\n here",
                "DOUBLE", "tab\there \"quoted\" \\ $HOME \\q"), values);
    }

    @Test
    void multiLineQuotedValuesAndLineNumbers() {
        String text = "A=1\r\nKEY=\"-----BEGIN KEY-----\r\nMIIEvQ\r\n-----END KEY-----\"\r\nB='x\ny' # done\nexport=plain\nA=2\n";
        List<Dotenv.Entry> entries = Dotenv.parse(text, "f");
        assertEquals(List.of(
                new Dotenv.Entry("A", "1", 1),
                new Dotenv.Entry("KEY", "-----BEGIN KEY-----\nMIIEvQ\n-----END KEY-----", 2),
                new Dotenv.Entry("B", "x\ny", 5),
                new Dotenv.Entry("export", "plain", 7),
                new Dotenv.Entry("A", "2", 8)), entries);
        assertEquals("2", parse(text).get("A"), "the last assignment wins");
        assertEquals(Map.of("NL", "a\nb"), parse("\uFEFFNL=\"a\\nb\""));
    }

    @Test
    void errorsNameFileAndLineButNeverTheText() {
        String leaked = "s3cr3t+t0ken";
        String m = error("OK=1\n\n" + leaked + "\n");
        assertEquals(".secrets:3: expected NAME=value (the line is not shown, as it may hold a secret)", m);

        m = error("A=1\n" + leaked + "=\n");
        assertTrue(m.startsWith(".secrets:2: the text before `=` is not a secret name"), m);
        assertFalse(m.contains(leaked), m);
        // A pasted base64 token has `=` in it: the part before it is not shown either.
        m = error("dG9r/ZW4+dmFsdWU=\n");
        assertTrue(m.startsWith(".secrets:1: the text before `=`"), m);
        assertFalse(m.contains("dG9r/ZW4+dmFsdWU"), m);

        m = error("A=1\nTOKEN=\"" + leaked + "\nstill open\n");
        assertEquals(".secrets:2: the value of TOKEN opens a \" quote that is never closed", m);
        m = error("TOKEN='" + leaked);
        assertEquals(".secrets:1: the value of TOKEN opens a ' quote that is never closed", m);

        m = error("X=1\nTOKEN=\"a\nb\"" + leaked + "\n");
        assertEquals(".secrets:3: unexpected text after the closing \" of TOKEN's value (only a # comment may follow it)", m);
        m = error("export " + leaked + "\n");
        assertFalse(m.contains(leaked), m);
        assertTrue(m.startsWith(".secrets:1: expected NAME=value"), m);
    }

    @Test
    void namesFollowTheLanguage() {
        assertTrue(Dotenv.isName("DATABASE_URL"));
        assertTrue(Dotenv.isName("api-token"));
        assertTrue(Dotenv.isName("_x1"));
        assertFalse(Dotenv.isName("1X"));
        assertFalse(Dotenv.isName("A.B"));
        assertFalse(Dotenv.isName("MY KEY"));
    }
}
