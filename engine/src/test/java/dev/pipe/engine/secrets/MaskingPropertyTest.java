package dev.pipe.engine.secrets;

import static dev.pipe.engine.run.OutputSink.Stream.STDERR;
import static dev.pipe.engine.run.OutputSink.Stream.STDOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random texts with planted secrets (plain, base64 at random alignments, URL-encoded,
 * JSON-escaped), cut into random chunks and sent through a {@link MaskingSink}, against a naive
 * oracle. {@code -Dpipe.seed=N -Dpipe.cases=1} reruns one case.
 */
class MaskingPropertyTest {
    private static final String SECRET_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/+=%@.-_ é?&\"\\~";
    private static final String FILLER_CHARS = "abcdefghijklmnopqrstuvwxyz ABCDEFXYZ0123456789 .,:;=/+\n\n\t{}[]";

    @Test
    void maskedOutputNeverShowsASecretWhateverTheChunks() {
        long seed = Long.getLong("pipe.seed", 20260314L);
        int cases = Integer.getInteger("pipe.cases", 2500);
        int clean = 0;
        for (int i = 0; i < cases; i++) {
            long caseSeed = seed + i;
            Random r = new Random(caseSeed);
            List<String> secrets = secrets(r);
            boolean planted = r.nextInt(3) != 0;
            List<String> hidden = new ArrayList<>();
            String out = text(r, secrets, planted, hidden);
            String err = text(r, secrets, true, hidden);
            try {
                clean += check(r, secrets, out, err, hidden) ? 1 : 0;
            } catch (AssertionError e) {
                fail("case failed with seed " + caseSeed + " (rerun with -Dpipe.seed=" + caseSeed + " -Dpipe.cases=1)\nsecrets: "
                        + secrets.stream().map(MaskingPropertyTest::show).toList() + "\nstdout text: " + show(out)
                        + "\nstderr text: " + show(err) + "\n" + e.getMessage(), e);
            }
        }
        System.out.println("MaskingPropertyTest: " + cases + " cases from seed " + seed + ", " + clean + " without any secret");
        assertTrue(cases < 100 || clean > cases / 5, "too few texts without secrets to test pass-through: " + clean);
    }

    /** Returns whether stdout held no secret at all (and so passed through unchanged). */
    private static boolean check(Random r, List<String> secrets, String out, String err, List<String> hidden) {
        Masker masker = Masker.of(secrets);
        RecordingSink recorded = new RecordingSink();
        MaskingSink sink = new MaskingSink(recorded, masker);
        List<String> outChunks = chunks(r, out);
        List<String> errChunks = chunks(r, err);
        int o = 0;
        int e = 0;
        while (o < outChunks.size() || e < errChunks.size()) {
            if (e >= errChunks.size() || (o < outChunks.size() && r.nextBoolean())) {
                sink.write(STDOUT, outChunks.get(o++));
            } else {
                sink.write(STDERR, errChunks.get(e++));
            }
        }
        sink.close();
        Set<String> forms = new LinkedHashSet<>();
        secrets.forEach(s -> forms.addAll(SecretForms.of(s)));
        String expectedOut = oracle(out, forms);
        assertEquals(expectedOut, recorded.of(STDOUT), "stdout in chunks " + outChunks.stream().map(MaskingPropertyTest::show).toList());
        assertEquals(oracle(err, forms), recorded.of(STDERR), "stderr in chunks " + errChunks.stream().map(MaskingPropertyTest::show).toList());
        assertEquals(expectedOut, masker.mask(out), "mask(String)");
        for (String shown : List.of(recorded.of(STDOUT), recorded.of(STDERR))) {
            for (String secret : secrets) {
                if (Masker.isMaskable(secret)) {
                    for (String form : giveaways(secret)) {
                        assertTrue(!shown.contains(form), "output shows " + show(form) + " of " + show(secret) + ": " + show(shown));
                    }
                }
            }
            for (String planted : hidden) {
                assertTrue(!shown.contains(planted), "output shows the planted " + show(planted) + ": " + show(shown));
            }
            for (String form : forms) {
                assertTrue(!shown.contains(form), "output shows the form " + show(form) + ": " + show(shown));
            }
        }
        return expectedOut.equals(out) && recorded.of(STDOUT).equals(out);
    }

    /** What must never show, computed here rather than taken from SecretForms. */
    private static List<String> giveaways(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return List.of(secret.strip(), url, url.replace("+", "%20"),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Masks every char inside some occurrence of some form; each covered run becomes one ***. */
    private static String oracle(String text, Set<String> forms) {
        boolean[] covered = new boolean[text.length()];
        for (String form : forms) {
            for (int at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
                for (int k = at; k < at + form.length(); k++) {
                    covered[k] = true;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (!covered[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !covered[i - 1]) {
                out.append("***");
            }
        }
        return out.toString();
    }

    private static List<String> secrets(Random r) {
        List<String> secrets = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            if (kind == 0) {
                secrets.add(random(r, SECRET_CHARS, r.nextInt(3)));
            } else if (kind <= 2 && !secrets.isEmpty()) {
                // Overlapping: the end of an earlier secret followed by more.
                String earlier = secrets.get(r.nextInt(secrets.size()));
                secrets.add(earlier.substring(r.nextInt(earlier.length() / 2 + 1)) + random(r, SECRET_CHARS, 3 + r.nextInt(6)));
            } else if (kind == 3 && !secrets.isEmpty()) {
                // Inside an earlier secret, found through the automaton's suffix links.
                String earlier = secrets.get(r.nextInt(secrets.size()));
                int from = r.nextInt(earlier.length() + 1);
                secrets.add(earlier.substring(from, from + r.nextInt(earlier.length() - from + 1)));
            } else if (kind == 4) {
                List<String> lines = new ArrayList<>();
                for (int l = 0; l < 2 + r.nextInt(3); l++) {
                    lines.add(random(r, SECRET_CHARS, 1 + r.nextInt(12)));
                }
                secrets.add(String.join("\n", lines));
            } else {
                secrets.add(random(r, SECRET_CHARS, 3 + r.nextInt(28)));
            }
        }
        return secrets;
    }

    /** Filler with planted secrets; adds to {@code hidden} what must not show of each. */
    private static String text(Random r, List<String> secrets, boolean planted, List<String> hidden) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + r.nextInt(12);
        for (int p = 0; p < pieces; p++) {
            text.append(random(r, FILLER_CHARS, r.nextInt(40)));
            if (planted) {
                String secret = secrets.get(r.nextInt(secrets.size()));
                List<String> mustHide = new ArrayList<>();
                text.append(disguise(r, secret, mustHide));
                if (Masker.isMaskable(secret)) {
                    hidden.addAll(mustHide);
                }
            }
        }
        return text.toString();
    }

    private static String disguise(Random r, String secret, List<String> hidden) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        Base64.Encoder encoder = r.nextBoolean() ? Base64.getEncoder() : Base64.getUrlEncoder();
        if (r.nextBoolean()) {
            encoder = encoder.withoutPadding();
        }
        return switch (r.nextInt(7)) {
            case 0 -> {
                String encoded = encoder.encodeToString(bytes);
                hidden.add(encoded.replace("=", ""));
                yield encoded;
            }
            case 1 -> {
                byte[] before = new byte[r.nextInt(6)];
                byte[] after = new byte[r.nextInt(6)];
                r.nextBytes(before);
                r.nextBytes(after);
                byte[] stream = new byte[before.length + bytes.length + after.length];
                System.arraycopy(before, 0, stream, 0, before.length);
                System.arraycopy(bytes, 0, stream, before.length, bytes.length);
                System.arraycopy(after, 0, stream, before.length + bytes.length, after.length);
                String encoded = encoder.encodeToString(stream);
                // The chars made of the secret's bits alone.
                int from = (8 * before.length + 5) / 6;
                int to = 8 * (before.length + bytes.length) / 6;
                if (to - from >= 4) {
                    hidden.add(encoded.substring(from, to));
                }
                yield encoded;
            }
            case 2 -> {
                String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
                String shown = r.nextBoolean() ? url : url.replace("+", "%20");
                hidden.add(shown);
                yield shown;
            }
            case 3 -> {
                String json = SecretForms.json(secret);
                hidden.add(json);
                yield json;
            }
            case 4 -> secret.substring(0, r.nextInt(secret.length() + 1)); // cut short: nothing to hide
            default -> {
                hidden.add(secret.strip());
                for (String line : secret.split("\n")) {
                    if (line.length() >= 4) {
                        hidden.add(line);
                    }
                }
                yield secret;
            }
        };
    }

    private static List<String> chunks(Random r, String text) {
        List<String> chunks = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int size = r.nextInt(10) == 0 ? r.nextInt(200) : r.nextInt(8);
            int end = Math.min(text.length(), at + size);
            chunks.add(text.substring(at, end));
            at = end;
        }
        return chunks;
    }

    private static String random(Random r, String alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String show(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"") + "\"";
    }
}
