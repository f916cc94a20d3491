package dev.pipe.engine.secrets;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Replaces secret values in text with {@code ***}. Built once per run from the secret values;
 * every form of each value that would give it away is searched for at once (one Aho–Corasick
 * pass, whatever the number of secrets):
 * <ul>
 *   <li>the value, and the value without surrounding whitespace;</li>
 *   <li>each line of a multi-line value on its own, when it has at least 4 chars (shorter lines,
 *       such as a lone closing brace, would mask half of every log), and the value with CRLF line ends;</li>
 *   <li>the value escaped as inside a JSON string;</li>
 *   <li>URL-encoded: {@code URLEncoder} form (space as {@code +}), the same with {@code %20}, and
 *       RFC 3986 form (everything but {@code A-Z a-z 0-9 - . _ ~} percent-encoded);</li>
 *   <li>base64 of the UTF-8 bytes, standard and URL-safe alphabets, with and without padding, and
 *       the stable core of the value's base64 at each of the three alignments it can have inside
 *       a longer base64 stream (at most 4 of its bits stay visible at each end).</li>
 * </ul>
 * Values shorter than 3 chars (not counting surrounding whitespace) are not masked: masking
 * {@code 1} or {@code no} would garble every log while protecting nothing. Empty values are
 * never masked. Every char covered by some occurrence is masked, and a run of overlapping or
 * touching occurrences becomes one {@code ***}, so overlapping secrets never show a part.
 */
public final class Masker {
    public static final String MASK = "***";

    private static final Masker NONE = new Masker(new AhoCorasick(Set.of()), 0, 0);

    private final AhoCorasick patterns;
    private final int secrets;
    private final int forms;

    private Masker(AhoCorasick patterns, int secrets, int forms) {
        this.patterns = patterns;
        this.secrets = secrets;
        this.forms = forms;
    }

    public static Masker of(Collection<String> values) {
        Set<String> all = new LinkedHashSet<>();
        int masked = 0;
        for (String value : new LinkedHashSet<>(values)) {
            Set<String> forms = SecretForms.of(value);
            if (!forms.isEmpty()) {
                masked++;
                all.addAll(forms);
            }
        }
        return masked == 0 ? NONE : new Masker(new AhoCorasick(all), masked, all.size());
    }

    /** A masker that masks nothing. */
    public static Masker none() {
        return NONE;
    }

    /** Whether {@link #of} masks this value: at least 3 chars besides surrounding whitespace. */
    public static boolean isMaskable(String value) {
        return SecretForms.isMaskable(value);
    }

    /** The text with every form of every secret replaced; the same instance when nothing matched. */
    public String mask(String text) {
        if (patterns.isEmpty() || text.isEmpty()) {
            return text;
        }
        return new StreamMasker(patterns).advance(text, true);
    }

    /** A masker for one stream of chunks (see {@link StreamMasker}). */
    public StreamMasker stream() {
        return new StreamMasker(patterns);
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The longest form searched for; a stream holds back at most one char less. */
    public int longestPattern() {
        return patterns.maxLength();
    }

    @Override
    public String toString() {
        return "Masker[" + secrets + " secrets, " + forms + " forms]";
    }
}
