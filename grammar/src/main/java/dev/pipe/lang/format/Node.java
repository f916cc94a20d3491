package dev.pipe.lang.format;

import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * One printed item: a line such as {@code needs [a, b]}, or a header with a block of items
 * such as {@code stage build { ... }}. Carries the source span the item came from (null when
 * unknown) so that comments can be attached to it, and the comments once attached.
 */
final class Node {
    final String text;
    final Span span;
    /** Null for a one-line item; the items between the braces otherwise. */
    final List<Node> body;
    /** A blank line always precedes this item (top-level groups, environments, stages, hooks). */
    boolean separate;

    final List<Comment> leading = new ArrayList<>();
    final List<Comment> trailing = new ArrayList<>();
    /** Comments on the line of the opening brace, after it. */
    final List<Comment> afterOpen = new ArrayList<>();
    /** Comments after the last item of the block, before the closing brace. */
    final List<Comment> dangling = new ArrayList<>();

    private Node(String text, Span span, List<Node> body) {
        this.text = text;
        this.span = span;
        this.body = body;
    }

    static Node line(String text, Span span) {
        return new Node(text, span, null);
    }

    static Node block(String header, Span span, List<Node> body) {
        return new Node(header, span, List.copyOf(body));
    }

    Node separated() {
        separate = true;
        return this;
    }
}
