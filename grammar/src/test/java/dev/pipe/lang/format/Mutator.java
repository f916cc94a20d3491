package dev.pipe.lang.format;

import dev.pipe.lang.antlr.PipeLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * Token-level mutations of a file, the slips people make: a token deleted, a stray token
 * inserted, two tokens swapped, one doubled, the file cut short. The white space before each
 * token stays with it.
 */
final class Mutator {
    /** Every token the lexer knows by its text, plus samples of the others and of rubbish. */
    static final List<String> VOCABULARY = vocabulary();

    private record Piece(String space, String text) {
    }

    private Mutator() {
    }

    private static List<String> vocabulary() {
        List<String> out = new ArrayList<>();
        for (int type = 1; type <= PipeLexer.VOCABULARY.getMaxTokenType(); type++) {
            String literal = PipeLexer.VOCABULARY.getLiteralName(type);
            if (literal != null) {
                out.add(literal.substring(1, literal.length() - 1).replace("\\\\", "\\"));
            }
        }
        out.addAll(List.of("x", "build", "42", "1.5", "10m", "1h30m", "\"s\"", "\"a ${x} b\"", "\"\"\"t\"\"\"",
                "\"", "\"\"\"", "${", "\"${", "}", "\\", "\\$", "// c", "/* c */", "/*", "*/", "\n", "@", "#", "`",
                "\u0000", "\uFEFF", "é", "日", "\uD83D\uDE00", "\r\n", "\t"));
        return List.copyOf(out);
    }

    static String mutate(String text, Random r) {
        List<Piece> pieces = pieces(text);
        String tail = text.substring(end(pieces, text));
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            int size = pieces.size();
            int i = size == 0 ? 0 : r.nextInt(size);
            switch (r.nextInt(size == 0 ? 1 : 5)) {
                case 0 -> pieces.add(size == 0 ? 0 : r.nextInt(size + 1), new Piece(" ", pick(r)));
                case 1 -> pieces.remove(i);
                case 2 -> {
                    if (i + 1 < size) {
                        Piece a = pieces.get(i);
                        Piece b = pieces.get(i + 1);
                        pieces.set(i, new Piece(a.space(), b.text()));
                        pieces.set(i + 1, new Piece(b.space(), a.text()));
                    }
                }
                case 3 -> pieces.add(i + 1, new Piece(" ", pieces.get(i).text()));
                default -> {
                    String joined = join(pieces) + tail;
                    return joined.substring(0, r.nextInt(joined.length() + 1));
                }
            }
        }
        return join(pieces) + tail;
    }

    private static String pick(Random r) {
        return VOCABULARY.get(r.nextInt(VOCABULARY.size()));
    }

    private static List<Piece> pieces(String text) {
        PipeLexer lexer = new PipeLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Piece> out = new ArrayList<>();
        int at = 0;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            out.add(new Piece(text.substring(at, t.getStartIndex()), t.getText()));
            at = t.getStopIndex() + 1;
        }
        return out;
    }

    private static int end(List<Piece> pieces, String text) {
        int at = 0;
        for (Piece p : pieces) {
            at += p.space().length() + p.text().length();
        }
        return Math.min(at, text.length());
    }

    private static String join(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            sb.append(p.space()).append(p.text());
        }
        return sb.toString();
    }
}
