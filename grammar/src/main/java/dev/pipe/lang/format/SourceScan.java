package dev.pipe.lang.format;

import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Questions about the source text around spans: where the keyword before a value starts,
 * whether a comment shares a line with what precedes it, whether the author left a blank line.
 * Some tree nodes record only the span of their value ({@code 10m} in {@code timeout 10m});
 * the formatter needs the whole setting to attach comments to it.
 */
final class SourceScan {
    private final String text;
    private final Map<Integer, Comment> byStart = new HashMap<>();
    private final Map<Integer, Comment> byEnd = new HashMap<>();

    SourceScan(String text, List<Comment> comments) {
        this.text = text;
        for (Comment c : comments) {
            byStart.put(c.span().start(), c);
            byEnd.put(c.span().end(), c);
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\u00A0' || c == '\uFEFF';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** The end of the last token before {@code pos}, skipping white space and comments. */
    int previousTokenEnd(int pos) {
        int i = Math.min(pos, text.length());
        while (i > 0) {
            if (isSpace(text.charAt(i - 1))) {
                i--;
            } else if (byEnd.containsKey(i)) {
                i = byEnd.get(i).span().start();
            } else {
                break;
            }
        }
        return i;
    }

    /** The start of the next token at or after {@code pos}, skipping white space and comments. */
    private int nextTokenStart(int pos) {
        int i = pos;
        while (i < text.length()) {
            if (isSpace(text.charAt(i))) {
                i++;
            } else if (byStart.containsKey(i)) {
                i = byStart.get(i).span().end();
            } else {
                break;
            }
        }
        return i;
    }

    /** The start of the word ending at {@code end}. */
    private int wordStart(int end) {
        int i = end;
        while (i > 0 && isWordChar(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** {@code value} widened to the keyword written before it, as in {@code timeout 10m}. */
    Span withKeyword(Span value) {
        if (value == null) {
            return null;
        }
        int keywordEnd = previousTokenEnd(value.start());
        int start = wordStart(keywordEnd);
        return start < keywordEnd ? new Span(start, value.end()) : value;
    }

    /** The span of {@code KEYWORD { NAME = expr ... }} from its assignments, or null when it has none. */
    Span assignmentBlock(List<Program.Assignment> entries) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        int open = previousTokenEnd(entries.getFirst().span().start());
        int close = nextTokenStart(entries.getLast().span().end());
        if (open == 0 || text.charAt(open - 1) != '{' || close >= text.length() || text.charAt(close) != '}') {
            return null;
        }
        int keywordEnd = previousTokenEnd(open - 1);
        return new Span(wordStart(keywordEnd), close + 1);
    }

    /**
     * Finds an option the tree keeps no position for, such as a step's {@code allow_failure} or an
     * empty {@code env {}}, in {@code from..to} outside the {@code known} spans (sorted) of the
     * other options. Null when anything else is found there.
     */
    Span findOption(int from, int to, List<Span> known, String keyword, boolean emptyBlock) {
        int i = from;
        int k = 0;
        while (i < to) {
            while (k < known.size() && known.get(k).end() <= i) {
                k++;
            }
            char c = text.charAt(i);
            if (k < known.size() && known.get(k).start() <= i) {
                i = known.get(k).end();
            } else if (isSpace(c) || c == '{' || c == '}') {
                i++;
            } else if (byStart.containsKey(i)) {
                i = byStart.get(i).span().end();
            } else if (isWordChar(c)) {
                int start = i;
                while (i < to && isWordChar(text.charAt(i))) {
                    i++;
                }
                if (text.substring(start, i).equals(keyword)) {
                    if (!emptyBlock) {
                        return new Span(start, i);
                    }
                    int open = nextTokenStart(i);
                    int close = open < to && text.charAt(open) == '{' ? nextTokenStart(open + 1) : to;
                    return close < to && text.charAt(close) == '}' ? new Span(start, close + 1) : null;
                }
            } else {
                return null;
            }
        }
        return null;
    }

    /**
     * True when only comments and blanks without a line break lie between {@code from} and
     * {@code to}: a comment there trails what ends at {@code from}. Line breaks inside block
     * comments do not count, since the formatter writes trailing comments one after another.
     */
    boolean sameLine(int from, int to) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '\n') {
                return false;
            }
            if (isSpace(c)) {
                i++;
            } else if (byStart.containsKey(i)) {
                i = byStart.get(i).span().end();
            } else {
                return false;
            }
        }
        return true;
    }

    /** True when the token before {@code pos} opens a block (not an interpolation) on the same line. */
    boolean followsOpenBrace(int pos) {
        int end = previousTokenEnd(pos);
        return end > 0 && text.charAt(end - 1) == '{' && (end < 2 || text.charAt(end - 2) != '$') && sameLine(end, pos);
    }

    /** True when the white space right before {@code pos} holds a blank line. */
    boolean blankLineBefore(int pos) {
        int newlines = 0;
        for (int i = Math.min(pos, text.length()) - 1; i >= 0 && isSpace(text.charAt(i)); i--) {
            if (text.charAt(i) == '\n') {
                newlines++;
            }
        }
        return newlines >= 2;
    }
}
