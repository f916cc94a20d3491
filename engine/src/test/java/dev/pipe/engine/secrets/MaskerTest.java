package dev.pipe.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {
    private static String mask(String text, String... secrets) {
        return Masker.of(List.of(secrets)).mask(text);
    }

    @Test
    void plainValues() {
        assertEquals("token=*** again ***.", mask("token=hunter2 again hunter2.", "hunter2"));
        assertEquals("***", mask("hunter2", "hunter2"));
        assertEquals("[***]", mask("[hunter2hunter2]", "hunter2"), "touching occurrences are one run");
        String text = "nothing secret here";
        assertSame(text, mask(text, "hunter2"), "unchanged text is the same instance");
        assertEquals("a *** b", mask("a s3cr3t b", "  s3cr3t\n"), "surrounding whitespace is not needed");
    }

    @Test
    void shortAndEmptyValuesAreNotMasked() {
        assertEquals("pin 12, flag y, ***", mask("pin 12, flag y, abc", "12", "y", "", "   ", "abc"));
        assertTrue(Masker.of(List.of("", "ab", " a ")).isEmpty());
        assertFalse(Masker.isMaskable(" ab\n"));
        assertTrue(Masker.isMaskable("abc"));
        assertSame(Masker.none(), Masker.of(List.of()));
        assertEquals("text", Masker.none().mask("text"));
    }

    @Test
    void multiLineValuesLineByLine() {
        String key = "-----BEGIN KEY-----\nMIIEvQIBADANBg\n  kqhkiG9w0BAQ  \n}\n-----END KEY-----";
        Masker m = Masker.of(List.of(key));
        assertEquals("***", m.mask(key));
        assertEquals("***", m.mask(key.replace("\n", "\r\n")));
        assertEquals("line: ***\n", m.mask("line: MIIEvQIBADANBg\n"));
        assertEquals("indent lost: ***!", m.mask("indent lost: kqhkiG9w0BAQ!"));
        assertEquals("json {\"k\":\"***\"}", m.mask("json {\"k\":\"" + SecretForms.json(key) + "\"}"));
        assertEquals("a lone } stays", m.mask("a lone } stays"), "lines shorter than 4 chars are not masked alone");
    }

    @Test
    void base64InBothAlphabetsWithAndWithoutPadding() {
        String secret = "p~~~s??? w0rd"; // base64 cH5+fnM/Pz8gdzByZA==: padded, with + and / (- and _)
        String value = "user:" + secret; // 18 bytes: no padding
        for (String s : List.of(secret, value)) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
                String padded = enc.encodeToString(bytes);
                String bare = enc.withoutPadding().encodeToString(bytes);
                assertEquals("Basic ***", mask("Basic " + padded, s), padded);
                assertEquals("Basic ***.", mask("Basic " + bare + ".", s), bare);
            }
        }
        assertEquals("cH5+fnM/Pz8gdzByZA==", Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void base64EmbeddedInALongerStreamAtEachAlignment() {
        String secret = "correct horse battery staple";
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int before = 0; before < 6; before++) {
            for (int after = 0; after < 4; after++) {
                byte[] stream = new byte[before + bytes.length + after];
                for (int i = 0; i < stream.length; i++) {
                    stream[i] = (byte) (31 * i + 7);
                }
                System.arraycopy(bytes, 0, stream, before, bytes.length);
                for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder(), Base64.getEncoder().withoutPadding())) {
                    String encoded = enc.encodeToString(stream);
                    String masked = mask("data: " + encoded + ".", secret);
                    String where = "before=" + before + " after=" + after + ": " + encoded + " -> " + masked;
                    int star = masked.indexOf("***");
                    assertTrue(star >= 0 && masked.indexOf("***", star + 1) < 0, where);
                    // Chars [first, last) hold bits of the secret; [from, to) hold nothing else.
                    int first = 8 * before / 6;
                    int from = (8 * before + 5) / 6;
                    int to = 8 * (before + bytes.length) / 6;
                    int last = (8 * (before + bytes.length) + 5) / 6;
                    String shownBefore = masked.substring("data: ".length(), star);
                    String shownAfter = masked.substring(star + 3, masked.length() - 1);
                    assertTrue(encoded.startsWith(shownBefore) && encoded.endsWith(shownAfter), where);
                    int maskedFrom = shownBefore.length();
                    int maskedTo = encoded.length() - shownAfter.length();
                    assertTrue(first <= maskedFrom && maskedFrom <= from, where);
                    assertTrue(to <= maskedTo && (maskedTo <= last || encoded.substring(last, maskedTo).matches("=+")), where);
                }
            }
        }
    }

    @Test
    void urlEncodedForms() {
        String secret = "p@ss word/+~*é";
        String java = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        assertEquals("p%40ss+word%2F%2B%7E*%C3%A9", java);
        Masker m = Masker.of(List.of(secret));
        assertEquals("?q=***&x=1", m.mask("?q=" + java + "&x=1"));
        assertEquals("?q=***&x=1", m.mask("?q=" + java.replace("+", "%20") + "&x=1"));
        assertEquals("?q=***&x=1", m.mask("?q=p%40ss%20word%2F%2B~%2A%C3%A9&x=1"), "RFC 3986 form");
    }

    @Test
    void overlappingSecretsMaskCompletely() {
        // Longest first would mask abcdef and leave "ghi" of the second secret; every covered char goes.
        assertEquals("x *** y", mask("x abcdefghi y", "abcdef", "defghi"));
        assertEquals("x *** y", mask("x abcdefghi y", "abcdefghi", "def"));
        assertEquals("x *** y", mask("x abcdefghi y", "def", "abcdefghi"));
        assertEquals("x *** y ***", mask("x aaaaaaaaaa y aaa", "aaa"));
        assertEquals("***", mask("abcdef", "abc", "def"), "touching occurrences are one run");
        assertEquals("*** ***", mask("abc def", "abc", "def"));
        // Inside a longer secret's start that goes no further: found through a suffix link.
        assertEquals("ab***X", mask("abcdeX", "abcdefgh", "cde"));
    }

    @Test
    void toStringShowsNoValue() {
        Masker m = Masker.of(List.of("hunter2", "s3cr3t"));
        assertEquals("Masker[2 secrets, " + (SecretForms.of("hunter2").size() + SecretForms.of("s3cr3t").size()) + " forms]",
                m.toString());
        assertTrue(m.longestPattern() >= "aHVudGVyMg==".length());
    }
}
