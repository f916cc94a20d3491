package dev.pipe.lang.syntax;

/** A name as written in the source. */
public record Ident(String name, Span span) {
    @Override
    public String toString() {
        return name;
    }
}
