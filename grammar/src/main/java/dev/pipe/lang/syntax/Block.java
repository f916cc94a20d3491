package dev.pipe.lang.syntax;

import java.util.List;

/** {@code { step ... | call ... }}: the body of rollback, finally and hooks. */
public record Block(List<StepItem> items, Span span) {
    public Block {
        items = List.copyOf(items);
    }
}
