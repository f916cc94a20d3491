package dev.pipe.lang.syntax;

import java.util.Arrays;

/** The text of one source file and a map from char offsets to 1-based lines and columns. */
public final class SourceFile {
    private final String path;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String path, String text) {
        this.path = path;
        this.text = text;
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        lineStarts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineStarts[line++] = i + 1;
            }
        }
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    public int lineCount() {
        return lineStarts.length;
    }

    /** 1-based line of an offset. */
    public int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, Math.min(Math.max(offset, 0), text.length()));
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** 1-based column of an offset, counting code points so that carets line up. */
    public int column(int offset) {
        int clamped = Math.min(Math.max(offset, 0), text.length());
        int start = lineStarts[line(clamped) - 1];
        return text.codePointCount(start, clamped) + 1;
    }

    /** The text of a 1-based line, without its line break. */
    public String lineText(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(start, Math.max(start, end));
    }

    public String slice(Span span) {
        return text.substring(Math.min(span.start(), text.length()), Math.min(span.end(), text.length()));
    }

    /** {@code path:line:col} of an offset. */
    public String location(int offset) {
        return path + ":" + line(offset) + ":" + column(offset);
    }

    @Override
    public String toString() {
        return path;
    }
}
