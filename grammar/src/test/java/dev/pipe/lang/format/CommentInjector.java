package dev.pipe.lang.format;

import dev.pipe.lang.antlr.PipeLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;

/**
 * Sprinkles comments between the tokens of a valid file, wherever the lexer would read them as
 * comments: between items, inside expressions and lists, inside {@code ${...}}, never inside
 * string text. Comments with line breaks go only at line edges. Each comment carries a unique marker {@code @cN@} so tests can count it.
 */
final class CommentInjector {
    private CommentInjector() {
    }

    static String inject(String text, Random r, int count) {
        List<Integer> positions = boundaries(text);
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chosen.add(positions.get(r.nextInt(positions.size())));
        }
        chosen.sort(null);
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (int i = 0; i < chosen.size(); i++) {
            int pos = chosen.get(i);
            sb.append(text, at, pos);
            String marker = "@c" + i + "@";
            // Inside a line only a one-line block comment goes: a line break there could move a
            // step's unnamed argument off its line, which changes what the text means.
            sb.append(switch (atLineEdge(text, pos) ? r.nextInt(4) : 3) {
                case 0 -> " // " + marker + "\n";
                case 1 -> "\n// " + marker + "\n";
                case 2 -> " /* " + marker + "\n   spans lines */ ";
                default -> " /* " + marker + " */ ";
            });
            at = pos;
        }
        return sb.append(text.substring(at)).toString();
    }

    /** True at the end of a line or in the indentation at the start of one. */
    private static boolean atLineEdge(String text, int pos) {
        if (pos >= text.length() || text.charAt(pos) == '\n') {
            return true;
        }
        for (int i = pos - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * Offsets where a comment may go: right before and right after each token, where the lexer is
     * in its default mode (so on the line of an item's end as well as on a line of its own).
     */
    private static List<Integer> boundaries(String text) {
        PipeLexer lexer = new PipeLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Integer> out = new ArrayList<>();
        while (true) {
            int before = lexer._mode;
            Token t = lexer.nextToken();
            if (t.getType() == Token.EOF) {
                out.add(text.length());
                return out;
            }
            if (before == Lexer.DEFAULT_MODE) {
                out.add(t.getStartIndex());
            }
            if (lexer._mode == Lexer.DEFAULT_MODE) {
                out.add(t.getStopIndex() + 1);
            }
        }
    }
}
