package dev.pipe.lang.format;

import dev.pipe.lang.syntax.Comment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Attaches every comment to exactly one printed item, by source position rather than by
 * printing order, because the formatter reorders settings:
 * <ul>
 *   <li>a comment inside an item's block goes into that block, recursively;</li>
 *   <li>a comment inside a one-line item (in an expression or a list) moves to the line before it;</li>
 *   <li>a comment on the same line after an item trails that item;</li>
 *   <li>a comment right after an opening brace stays on the brace's line;</li>
 *   <li>any other comment leads the next item, or, when none follows, stays at the end of the block.</li>
 * </ul>
 * Items whose position the tree does not record take no comments; those go to their neighbours.
 */
final class CommentPlacer {
    private final SourceScan scan;

    CommentPlacer(SourceScan scan) {
        this.scan = scan;
    }

    /** Places {@code comments} (in source order) among the top-level items; returns those left for the end of the file. */
    List<Comment> placeTop(List<Node> nodes, List<Comment> comments) {
        List<Comment> rest = new ArrayList<>();
        place(null, nodes, comments, rest);
        return rest;
    }

    private void place(Node parent, List<Node> siblings, List<Comment> comments, List<Comment> end) {
        List<Node> anchored = new ArrayList<>();
        for (Node n : siblings) {
            if (n.span != null) {
                anchored.add(n);
            }
        }
        anchored.sort(Comparator.comparingInt(n -> n.span.start()));
        List<List<Comment>> inside = new ArrayList<>();
        for (int i = 0; i < anchored.size(); i++) {
            inside.add(new ArrayList<>());
        }
        for (Comment c : comments) {
            int start = c.span().start();
            int i = lastStartingAtOrBefore(anchored, start);
            if (i >= 0 && c.span().end() <= anchored.get(i).span.end()) {
                inside.get(i).add(c);
                continue;
            }
            Node previous = i >= 0 ? anchored.get(i) : null;
            Node next = i + 1 < anchored.size() ? anchored.get(i + 1) : null;
            if (previous != null && scan.sameLine(previous.span.end(), start)) {
                previous.trailing.add(c);
            } else if (previous == null && parent != null && scan.followsOpenBrace(start)) {
                parent.afterOpen.add(c);
            } else if (next != null) {
                next.leading.add(c);
            } else {
                end.add(c);
            }
        }
        for (int i = 0; i < anchored.size(); i++) {
            Node n = anchored.get(i);
            if (inside.get(i).isEmpty()) {
                continue;
            }
            if (n.body == null) {
                n.leading.addAll(inside.get(i));
            } else {
                place(n, n.body, inside.get(i), n.dangling);
            }
        }
    }

    /** Index of the last node starting at or before {@code pos}, or -1. */
    private static int lastStartingAtOrBefore(List<Node> sorted, int pos) {
        int lo = 0;
        int hi = sorted.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).span.start() <= pos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
