package dev.pipe.engine.secrets;

import java.util.ArrayDeque;

/**
 * Masks one stream of text that arrives in chunks split anywhere, such as a process's stdout.
 * {@link #push} returns the text that can no longer be part of a secret, masked, and holds back
 * the rest: at most (longest pattern - 1) chars, or less when no pattern spans lines and the
 * chunk ends a line. {@link #finish} returns what was held back. The concatenated output equals
 * {@link Masker#mask} of the concatenated input, whatever the chunking.
 *
 * <p>Every char covered by an occurrence of a pattern is masked, and each maximal run of covered
 * chars (overlapping or touching occurrences) becomes a single {@code ***}, so overlapping
 * secrets are masked completely. Not thread-safe: one per stream.
 */
public final class StreamMasker {
    private final AhoCorasick patterns;
    private int state;
    /** Received chars not yet returned, starting at absolute position {@code base}. */
    private String held = "";
    private long base;
    /** The absolute position of the last char covered by a {@code ***} already returned. */
    private long maskedUpTo = -2;
    /** Covered runs {start, end} (absolute, inclusive), sorted, disjoint and not touching. */
    private final ArrayDeque<long[]> runs = new ArrayDeque<>();

    StreamMasker(AhoCorasick patterns) {
        this.patterns = patterns;
    }

    /** The masked text that is now final; may be empty. */
    public String push(String chunk) {
        return advance(chunk, false);
    }

    /** The held-back rest, masked. The masker is then ready for a new stream. */
    public String finish() {
        String out = advance("", true);
        state = 0;
        held = "";
        base = 0;
        maskedUpTo = -2;
        runs.clear();
        return out;
    }

    String advance(String chunk, boolean last) {
        long chunkStart = base + held.length();
        for (int i = 0; i < chunk.length(); i++) {
            state = patterns.step(state, chunk.charAt(i));
            int length = patterns.longestMatch(state);
            if (length > 0) {
                cover(chunkStart + i - length + 1, chunkStart + i);
            }
        }
        long end = chunkStart + chunk.length();
        long cut = last ? end : safeEnd(chunk, chunkStart, end);
        String out = emit(chunk, chunkStart, cut);
        held = slice(chunk, chunkStart, cut, end);
        base = cut;
        return out;
    }

    /** Everything before the returned position can no longer be the start of an occurrence. */
    private long safeEnd(String chunk, long chunkStart, long end) {
        long cut = end - (patterns.maxLength() - 1);
        if (!patterns.newlineInPattern()) {
            int newline = chunk.lastIndexOf('\n');
            if (newline >= 0) {
                cut = Math.max(cut, chunkStart + newline + 1);
            }
        }
        return Math.max(cut, base);
    }

    private void cover(long start, long end) {
        long s = start;
        long e = end;
        while (!runs.isEmpty() && runs.peekLast()[1] >= s - 1) {
            long[] run = runs.pollLast();
            s = Math.min(s, run[0]);
            e = Math.max(e, run[1]);
        }
        runs.addLast(new long[] {s, e});
    }

    private String emit(String chunk, long chunkStart, long cut) {
        if (runs.isEmpty() && held.isEmpty()) {
            return cut == chunkStart + chunk.length() ? chunk : chunk.substring(0, (int) (cut - chunkStart));
        }
        StringBuilder out = new StringBuilder((int) (cut - base) + 8);
        long p = base;
        while (!runs.isEmpty() && runs.peekFirst()[0] < cut) {
            long[] run = runs.peekFirst();
            if (run[0] > p) {
                append(out, chunk, chunkStart, p, run[0]);
            }
            long coveredStart = Math.max(run[0], p);
            long coveredEnd = Math.min(run[1], cut - 1);
            if (coveredStart > maskedUpTo + 1) {
                out.append(Masker.MASK);
            }
            maskedUpTo = Math.max(maskedUpTo, coveredEnd);
            p = coveredEnd + 1;
            // A run reaching the cut may still grow or be touched by a later occurrence.
            if (run[1] >= cut - 1) {
                break;
            }
            runs.pollFirst();
        }
        if (p < cut) {
            append(out, chunk, chunkStart, p, cut);
        }
        return out.toString();
    }

    private void append(StringBuilder out, String chunk, long chunkStart, long from, long to) {
        if (from < chunkStart) {
            out.append(held, (int) (from - base), (int) (Math.min(to, chunkStart) - base));
        }
        if (to > chunkStart) {
            out.append(chunk, (int) (Math.max(from, chunkStart) - chunkStart), (int) (to - chunkStart));
        }
    }

    private String slice(String chunk, long chunkStart, long from, long to) {
        if (from == to) {
            return "";
        }
        StringBuilder out = new StringBuilder((int) (to - from));
        append(out, chunk, chunkStart, from, to);
        return out.toString();
    }
}
