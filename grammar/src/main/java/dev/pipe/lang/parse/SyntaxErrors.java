package dev.pipe.lang.parse;

import dev.pipe.lang.antlr.PipeLexer;
import dev.pipe.lang.antlr.PipeParser;
import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.Interval;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Replaces ANTLR's console listener: phrases syntax errors for people, names what was expected
 * in words ("an expression", "a stage setting such as `step` or `needs`"), never in token names,
 * and reports at most one error per line and per declaration so that one slip does not bury the rest.
 */
final class SyntaxErrors extends BaseErrorListener {
    static final int MAX_ERRORS = 25;

    private final SourceFile source;
    private final List<Diagnostic> out;
    private final Set<Integer> lines = new java.util.HashSet<>();
    private int lastErrorToken = -1;

    SyntaxErrors(SourceFile source, List<Diagnostic> out) {
        this.source = source;
        this.out = out;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col, String msg,
            RecognitionException e) {
        if (out.size() >= MAX_ERRORS || !lines.add(line) || echo(recognizer, offendingSymbol)) {
            return;
        }
        if (!(offendingSymbol instanceof Token token) || !(recognizer instanceof Parser parser)) {
            out.add(Diagnostic.of(Code.SYNTAX, source, new Span(0, 0), msg));
            return;
        }
        Span span = tokenSpan(token);
        if (token.getType() == PipeLexer.STR_NEWLINE) {
            out.add(Diagnostic.of(Code.UNTERMINATED_STRING, source, span)
                    .withHint("close it with `\"`, or use \"\"\"...\"\"\" for text over several lines"));
            return;
        }
        IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
        String found = describe(token);
        String wanted = expected(expected, parser.getContext());
        String message = wanted == null ? "unexpected " + found : "unexpected " + found + "; expected " + wanted;
        Diagnostic d = Diagnostic.of(Code.SYNTAX, source, span, message);
        if (token.getType() == PipeLexer.EOF && wanted != null && wanted.contains("`}`")) {
            d = d.withHint("a `{` earlier in the file is never closed");
        } else if (token.getType() == PipeLexer.RBRACE && wanted != null && wanted.equals("end of file")) {
            d = d.withHint("this `}` closes nothing; remove it or add the `{` it belongs to");
        }
        out.add(d);
    }

    /**
     * After a slip, ANTLR's recovery often misreads the rest of the declaration and reports
     * errors that are only echoes of the first. A later error counts only when a new top-level
     * declaration (a keyword such as `stage` at the start of a line) lies between it and the
     * previous one, so the report holds real, independent mistakes.
     */
    private boolean echo(Recognizer<?, ?> recognizer, Object offendingSymbol) {
        if (!(recognizer instanceof Parser parser) || !(offendingSymbol instanceof Token token)) {
            return false;
        }
        int at = token.getTokenIndex();
        int previous = lastErrorToken;
        if (at <= previous) {
            return true;
        }
        lastErrorToken = at;
        if (previous < 0) {
            return false;
        }
        TokenStream stream = parser.getInputStream();
        for (int i = previous + 1; i <= at && i < stream.size(); i++) {
            Token t = stream.get(i);
            if (t.getCharPositionInLine() == 0 && t.getChannel() == Token.DEFAULT_CHANNEL && startsDeclaration(t.getType())) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsDeclaration(int type) {
        return switch (type) {
            case PipeLexer.PIPELINE, PipeLexer.IMPORT, PipeLexer.ON, PipeLexer.VARS, PipeLexer.SECRETS,
                    PipeLexer.ENVIRONMENT, PipeLexer.STAGE -> true;
            default -> false;
        };
    }

    private Span tokenSpan(Token token) {
        int start = Math.max(0, token.getStartIndex());
        int end = token.getType() == Token.EOF ? start : Math.max(start, token.getStopIndex() + 1);
        return new Span(start, end);
    }

    static String describe(Token token) {
        return switch (token.getType()) {
            case Token.EOF -> "end of file";
            case PipeLexer.STRING_OPEN, PipeLexer.TRIPLE_OPEN -> "string";
            case PipeLexer.NUMBER -> "number `" + token.getText() + "`";
            case PipeLexer.DURATION -> "duration `" + token.getText() + "`";
            case PipeLexer.IDENT -> "name `" + shorten(token.getText()) + "`";
            case PipeLexer.UNEXPECTED_CHAR -> "character `" + wholeCharacter(token) + "`";
            default -> "`" + shorten(token.getText()) + "`";
        };
    }

    /** The lexer reads UTF-16 units; name a character outside the basic plane by both of its halves. */
    private static String wholeCharacter(Token token) {
        String text = token.getText();
        if (text.length() == 1 && Character.isHighSurrogate(text.charAt(0)) && token.getInputStream() != null
                && token.getStartIndex() + 1 < token.getInputStream().size()) {
            return token.getInputStream().getText(Interval.of(token.getStartIndex(), token.getStartIndex() + 1));
        }
        return text;
    }

    private static String shorten(String text) {
        return text.length() > 24 ? text.substring(0, 21) + "..." : text;
    }

    /** Words for what the parser wanted, or null when it wanted nothing in particular. */
    private static String expected(IntervalSet set, ParserRuleContext ctx) {
        if (set == null || set.isNil()) {
            return null;
        }
        List<Integer> types = set.toList();
        boolean name = types.contains(PipeLexer.IDENT);
        boolean expression = name && types.contains(PipeLexer.STRING_OPEN) && types.contains(PipeLexer.NUMBER);
        Set<String> words = new LinkedHashSet<>();
        if (expression) {
            words.add("an expression");
        } else if (name) {
            words.add(ctx instanceof PipeParser.CallContext || ctx instanceof PipeParser.StepDeclContext
                    ? "a step such as `sh`" : "a name");
        }
        List<String> keywords = new ArrayList<>();
        for (int type : types) {
            if (type == PipeLexer.IDENT || (name && isSoftKeyword(type))) {
                continue;
            }
            if (expression && (type == PipeLexer.STRING_OPEN || type == PipeLexer.TRIPLE_OPEN || type == PipeLexer.NUMBER
                    || type == PipeLexer.DURATION || type == PipeLexer.LBRACK || type == PipeLexer.LPAREN
                    || type == PipeLexer.BANG || type == PipeLexer.TRUE || type == PipeLexer.FALSE)) {
                continue;
            }
            String word = tokenWord(type);
            if (word != null) {
                keywords.add(word);
            }
        }
        // Closing a block is always worth naming; long keyword lists are cut to a few examples.
        boolean close = keywords.remove("`}`");
        boolean end = keywords.remove("end of file");
        if (keywords.size() > 5) {
            words.add(article(area(ctx)) + " such as " + String.join(", ", keywords.subList(0, 3)));
        } else {
            words.addAll(keywords);
        }
        if (close) {
            words.add("`}`");
        }
        if (end) {
            words.add("end of file");
        }
        if (words.isEmpty()) {
            return null;
        }
        List<String> list = new ArrayList<>(words);
        if (list.size() == 1) {
            return list.get(0);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String area(ParserRuleContext ctx) {
        return switch (ctx) {
            case PipeParser.StageDeclContext ignored -> "stage setting";
            case PipeParser.TemplateDeclContext ignored -> "template setting";
            case PipeParser.EnvironmentDeclContext ignored -> "environment setting";
            case PipeParser.FileContext ignored -> "top-level declaration";
            case PipeParser.StepDeclContext ignored -> "step option";
            case PipeParser.ApprovalBlockContext ignored -> "approval setting";
            case PipeParser.HttpCheckContext ignored -> "http check option";
            case null, default -> "keyword";
        };
    }

    private static boolean isSoftKeyword(int type) {
        return type >= PipeLexer.PIPELINE && type <= PipeLexer.FROM;
    }

    private static String tokenWord(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case PipeLexer.STRING_OPEN, PipeLexer.TRIPLE_OPEN -> "a string";
            case PipeLexer.NUMBER -> "a number";
            case PipeLexer.DURATION -> "a duration such as 10m";
            case PipeLexer.STR_CLOSE -> "`\"`";
            case PipeLexer.TRI_CLOSE -> "`\"\"\"`";
            case PipeLexer.STR_TEXT, PipeLexer.STR_ESCAPE, PipeLexer.STR_INTERP, PipeLexer.TRI_TEXT,
                    PipeLexer.TRI_ESCAPE, PipeLexer.TRI_INTERP, PipeLexer.STR_NEWLINE, PipeLexer.UNEXPECTED_CHAR,
                    PipeLexer.LINE_COMMENT, PipeLexer.BLOCK_COMMENT, PipeLexer.WS -> null;
            default -> {
                String literal = PipeLexer.VOCABULARY.getLiteralName(type);
                yield literal == null ? null : "`" + literal.substring(1, literal.length() - 1) + "`";
            }
        };
    }
}
