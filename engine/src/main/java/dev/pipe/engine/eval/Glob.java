package dev.pipe.engine.eval;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Glob patterns for {@code ~}, branch, tag and path filters.
 *
 * <ul>
 *   <li>{@code *} matches any characters within one path segment (never a {@code /});</li>
 *   <li>{@code **} matches any characters across segments; {@code **}{@code /} also matches
 *       nothing, so {@code src/**}{@code /a.js} matches {@code src/a.js};</li>
 *   <li>{@code ?} matches one character other than {@code /};</li>
 *   <li>every other character matches itself; the whole text must match.</li>
 * </ul>
 *
 * <p>Matching simulates the pattern over the set of reachable text positions, so its cost is
 * bounded by pattern length times text length whatever the pattern: no backtracking.
 */
public final class Glob {
    private enum Kind { LITERAL, STAR, DOUBLE_STAR, DOUBLE_STAR_SLASH, QUESTION }

    private record Token(Kind kind, char ch) {
    }

    private final String pattern;
    private final List<Token> tokens;

    private Glob(String pattern, List<Token> tokens) {
        this.pattern = pattern;
        this.tokens = tokens;
    }

    public static Glob compile(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                int j = i + 2;
                while (j < pattern.length() && pattern.charAt(j) == '*') {
                    j++;
                }
                if (j < pattern.length() && pattern.charAt(j) == '/') {
                    tokens.add(new Token(Kind.DOUBLE_STAR_SLASH, '/'));
                    i = j + 1;
                } else {
                    tokens.add(new Token(Kind.DOUBLE_STAR, '*'));
                    i = j;
                }
            } else if (c == '*') {
                tokens.add(new Token(Kind.STAR, c));
                i++;
            } else if (c == '?') {
                tokens.add(new Token(Kind.QUESTION, c));
                i++;
            } else {
                tokens.add(new Token(Kind.LITERAL, c));
                i++;
            }
        }
        return new Glob(pattern, List.copyOf(tokens));
    }

    /** Whether {@code pattern} matches the whole of {@code text}. */
    public static boolean matches(String pattern, String text) {
        return compile(pattern).matches(text);
    }

    public boolean matches(String text) {
        int n = text.length();
        BitSet at = new BitSet(n + 1);
        at.set(0);
        for (Token t : tokens) {
            BitSet next = step(t, at, text);
            if (next.isEmpty()) {
                return false;
            }
            at = next;
        }
        return at.get(n);
    }

    /** The text positions reachable after {@code t} from the positions {@code at}; linear in the text. */
    private static BitSet step(Token t, BitSet at, String text) {
        int n = text.length();
        BitSet next = new BitSet(n + 1);
        int first = at.nextSetBit(0);
        switch (t.kind()) {
            case LITERAL, QUESTION -> {
                for (int p = first; p >= 0 && p < n; p = at.nextSetBit(p + 1)) {
                    char c = text.charAt(p);
                    if (t.kind() == Kind.LITERAL ? c == t.ch() : c != '/') {
                        next.set(p + 1);
                    }
                }
            }
            case STAR -> {
                int reached = -1;
                for (int p = first; p >= 0; p = at.nextSetBit(p + 1)) {
                    int q = Math.max(p, reached);
                    next.set(q);
                    while (q < n && text.charAt(q) != '/') {
                        next.set(++q);
                    }
                    reached = q;
                }
            }
            case DOUBLE_STAR -> next.set(first, n + 1);
            case DOUBLE_STAR_SLASH -> {
                next.or(at);
                for (int q = first; q < n; q++) {
                    if (text.charAt(q) == '/') {
                        next.set(q + 1);
                    }
                }
            }
        }
        return next;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
