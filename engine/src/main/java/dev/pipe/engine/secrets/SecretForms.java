package dev.pipe.engine.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The strings that give a secret away when they appear in output: the value, each line of a
 * multi-line value, its JSON-escaped, URL-encoded and base64 forms.
 *
 * <p>Base64 of a value inside a longer base64 stream depends on where the value starts relative
 * to the 3-byte groups: 0, 1 or 2 bytes of unrelated data may share its first group. For each
 * of the three alignments the "stable core" is the run of base64 characters computed from the
 * value's bytes alone; the one or two characters at each end that mix in neighbouring bits are
 * left, so at most 4 of the value's bits stay visible at each end.
 */
final class SecretForms {
    /** Values shorter than this (not counting surrounding whitespace) are not masked at all. */
    static final int MIN_VALUE = 3;
    /** Parts of a value (lines, base64 cores) shorter than this are not masked on their own. */
    static final int MIN_PART = 4;

    private SecretForms() {
    }

    static boolean isMaskable(String value) {
        return value.strip().length() >= MIN_VALUE;
    }

    static Set<String> of(String value) {
        Set<String> forms = new LinkedHashSet<>();
        if (!isMaskable(value)) {
            return forms;
        }
        forms.add(value);
        forms.add(value.strip());
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            for (String line : value.split("\r\n|\r|\n")) {
                part(forms, line);
                part(forms, line.strip());
            }
            forms.add(value.replace("\r\n", "\n").replace("\n", "\r\n"));
        }
        forms.add(json(value));
        String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        forms.add(percent(value));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        base64(forms, bytes, false);
        base64(forms, bytes, true);
        return forms;
    }

    private static void part(Set<String> forms, String part) {
        if (part.length() >= MIN_PART) {
            forms.add(part);
        }
    }

    private static void base64(Set<String> forms, byte[] bytes, boolean urlSafe) {
        Base64.Encoder encoder = urlSafe ? Base64.getUrlEncoder() : Base64.getEncoder();
        forms.add(encoder.encodeToString(bytes));
        Base64.Encoder bare = encoder.withoutPadding();
        forms.add(bare.encodeToString(bytes));
        for (int lead = 0; lead < 3; lead++) {
            byte[] shifted = new byte[lead + bytes.length];
            System.arraycopy(bytes, 0, shifted, lead, bytes.length);
            String encoded = bare.encodeToString(shifted);
            // Character i holds bits [6i, 6i + 6) of the stream; keep those that hold value bits only.
            int from = (8 * lead + 5) / 6;
            int to = 8 * shifted.length / 6;
            if (to - from >= MIN_PART) {
                forms.add(encoded.substring(from, to));
            }
        }
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (curl, Python's quote(s, safe="")). */
    private static String percent(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The value as it appears between the quotes of a JSON string. */
    static String json(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
