package dev.pipe.lang.format;

import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import java.util.List;

/**
 * {@code pipe fmt}: prints a parsed file in the one canonical layout, keeping every comment.
 *
 * <p>Two spaces per level; {@code pipeline NAME}, then imports, templates, triggers, secrets, vars,
 * environments, stages and hooks, with a blank line between groups and around each environment,
 * stage and hook; one setting per line in a fixed order inside each block. Where the author left
 * a blank line between two items of a block, one is kept. The output ends with one newline and
 * formatting it again changes nothing.
 *
 * <p>Format only files without errors: when a setting is repeated, the tree keeps the first one,
 * so the formatted text would silently lose the second.
 */
public final class Formatter {
    private static final String INDENT = "  ";

    private Formatter() {
    }

    /** The canonical text of a parsed file, with its comments. */
    public static String format(ParseResult parsed) {
        if (parsed.program() == null) {
            throw new IllegalArgumentException("cannot format " + parsed.source().path() + ": it has syntax errors");
        }
        SourceScan scan = new SourceScan(parsed.source().text(), parsed.comments());
        List<Node> nodes = new Layout(scan).program(parsed.program());
        List<Comment> end = new CommentPlacer(scan).placeTop(nodes, parsed.comments());
        return new Formatter.Printer(scan).print(nodes, end);
    }

    /** The canonical text of a tree that has no source, such as one built by a program. */
    public static String format(Program program) {
        return new Formatter.Printer(null).print(new Layout(null).program(program), List.of());
    }

    /** An expression as the formatter writes it, for messages and plans. */
    public static String expression(Expr e) {
        return ExprPrinter.print(e);
    }

    private static final class Printer {
        private final SourceScan scan;
        private final StringBuilder out = new StringBuilder();
        /** At the start of the file or of a block, where a blank line is never wanted. */
        private boolean fresh = true;
        private boolean blankPending;

        Printer(SourceScan scan) {
            this.scan = scan;
        }

        String print(List<Node> nodes, List<Comment> end) {
            for (Node n : nodes) {
                node(n, 0);
            }
            comments(end, 0, true);
            return out.toString();
        }

        private void node(Node n, int depth) {
            int first = !n.leading.isEmpty() ? n.leading.getFirst().span().start() : n.span == null ? -1 : n.span.start();
            if (n.separate || blankBefore(first)) {
                blank();
            }
            comments(n.leading, depth, false);
            // A blank line the author left between comments and the item; not for comments moved out of it.
            if (!n.leading.isEmpty() && n.span != null && n.leading.getLast().span().end() <= n.span.start()
                    && blankBefore(n.span.start())) {
                blank();
            }
            if (n.body == null) {
                line(depth, n.text + after(n.trailing));
                return;
            }
            if (n.body.isEmpty() && n.afterOpen.isEmpty() && n.dangling.isEmpty()) {
                line(depth, n.text + " {}" + after(n.trailing));
                return;
            }
            line(depth, n.text + " {" + after(n.afterOpen));
            fresh = true;
            for (Node child : n.body) {
                node(child, depth + 1);
            }
            comments(n.dangling, depth + 1, true);
            blankPending = false;
            line(depth, "}" + after(n.trailing));
        }

        /** Comments on lines of their own, keeping a blank line where the author had one before them. */
        private void comments(List<Comment> comments, int depth, boolean blankFirst) {
            for (int i = 0; i < comments.size(); i++) {
                if ((i > 0 || blankFirst) && blankBefore(comments.get(i).span().start())) {
                    blank();
                }
                line(depth, comments.get(i).text());
            }
        }

        private boolean blankBefore(int pos) {
            return scan != null && pos >= 0 && scan.blankLineBefore(pos);
        }

        private static String after(List<Comment> comments) {
            StringBuilder sb = new StringBuilder();
            for (Comment c : comments) {
                sb.append(' ').append(c.text());
            }
            return sb.toString();
        }

        private void blank() {
            if (!fresh) {
                blankPending = true;
            }
        }

        private void line(int depth, String text) {
            if (blankPending) {
                out.append('\n');
                blankPending = false;
            }
            out.append(INDENT.repeat(depth)).append(text).append('\n');
            fresh = false;
        }
    }
}
