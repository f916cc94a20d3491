package dev.pipe.lang.diag;

import dev.pipe.lang.syntax.SourceFile;
import java.util.List;

/**
 * Renders diagnostics like Pkl and rustc: the one-line summary, the source line with its number,
 * carets under the span, then hints. Colour only when asked (on a TTY without NO_COLOR).
 */
public final class DiagnosticRenderer {
    private static final String RED = "\u001b[31;1m";
    private static final String YELLOW = "\u001b[33;1m";
    private static final String BLUE = "\u001b[34;1m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private static final int MAX_LINE = 160;

    private final boolean color;

    public DiagnosticRenderer(boolean color) {
        this.color = color;
    }

    public String render(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            sb.append(render(d));
        }
        return sb.toString();
    }

    public String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        String where = d.location();
        if (!where.isEmpty()) {
            sb.append(paint(BOLD, where)).append(": ");
        }
        String label = d.severity().label() + "[" + d.code().id() + "]";
        sb.append(paint(d.isError() ? RED : YELLOW, label)).append(": ").append(paint(BOLD, d.message())).append('\n');
        SourceFile src = d.source();
        if (src != null && d.span() != null && src.text().length() > 0) {
            int line = src.line(d.span().start());
            String text = src.lineText(line);
            int col = src.column(d.span().start());
            // Very long lines (minified or generated input) are cut to a window around the caret.
            if (text.length() > MAX_LINE) {
                int from = Math.max(0, Math.min(col - 1 - MAX_LINE / 2, text.length() - MAX_LINE));
                from = text.offsetByCodePoints(0, Math.min(from, text.codePointCount(0, text.length())));
                int to = Math.min(text.length(), from + MAX_LINE);
                String prefix = from > 0 ? "..." : "";
                col = col - text.codePointCount(0, from) + prefix.length();
                text = prefix + text.substring(from, to) + (to < text.length() ? "..." : "");
            }
            String number = Integer.toString(line);
            String gutter = " ".repeat(number.length());
            int lineEndCol = text.codePointCount(0, text.length()) + 1;
            int endOffset = Math.min(d.span().end(), src.text().length());
            int endLine = src.line(endOffset);
            int endCol = endLine == line ? col + src.text().codePointCount(d.span().start(), endOffset) : lineEndCol;
            int width = Math.max(1, Math.min(endCol, lineEndCol) - col);
            sb.append(paint(BLUE, gutter + " |")).append('\n');
            sb.append(paint(BLUE, number + " |")).append(' ').append(expandTabs(text)).append('\n');
            sb.append(paint(BLUE, gutter + " |")).append(' ')
                    .append(" ".repeat(Math.max(0, visualColumn(text, col) - 1)))
                    .append(paint(d.isError() ? RED : YELLOW, "^".repeat(width))).append('\n');
            for (String hint : d.hints()) {
                sb.append(paint(BLUE, gutter + " =")).append(" hint: ").append(hint).append('\n');
            }
        } else {
            for (String hint : d.hints()) {
                sb.append("  = hint: ").append(hint).append('\n');
            }
        }
        return sb.toString();
    }

    private static String expandTabs(String text) {
        return text.replace("\t", "    ");
    }

    /** Column after expanding tabs to four spaces, so carets stay under the text. */
    private static int visualColumn(String text, int col) {
        int visual = 1;
        int cp = 1;
        for (int i = 0; i < text.length() && cp < col; ) {
            int c = text.codePointAt(i);
            visual += c == '\t' ? 4 : 1;
            i += Character.charCount(c);
            cp++;
        }
        return visual;
    }

    private String paint(String style, String text) {
        return color ? style + text + RESET : text;
    }
}
