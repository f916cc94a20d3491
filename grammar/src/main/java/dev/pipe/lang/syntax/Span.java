package dev.pipe.lang.syntax;

/**
 * A region of a source file: {@code start} inclusive, {@code end} exclusive, both char offsets.
 *
 * <p>Spans are positions, not content: every span equals every other span. This keeps the
 * records of the syntax tree comparable by what they say, so that a tree parsed from formatted
 * text equals the tree it was formatted from.
 */
public record Span(int start, int end) {
    public static final Span NONE = new Span(0, 0);

    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span " + start + ".." + end);
        }
    }

    public int length() {
        return end - start;
    }

    public Span to(Span other) {
        return new Span(Math.min(start, other.start), Math.max(end, other.end));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Span;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    /** Structural comparison that does consider positions. */
    public boolean samePosition(Span other) {
        return other != null && start == other.start && end == other.end;
    }
}
