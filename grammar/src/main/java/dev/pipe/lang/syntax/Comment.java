package dev.pipe.lang.syntax;

/** A comment as written ({@code // ...} or {@code /* ... *\/}), kept for the formatter. */
public record Comment(String text, boolean block, Span span) {
}
