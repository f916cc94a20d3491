package dev.pipe.lang.parse;

import dev.pipe.lang.antlr.PipeLexer;
import dev.pipe.lang.antlr.PipeParser;
import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CodePointBuffer;
import org.antlr.v4.runtime.CodePointCharStream;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Parses a {@link SourceFile} into a {@link Program}: lex, refuse absurd nesting before the
 * recursive parser sees it, parse with SLL and fall back to full LL only when SLL fails, then
 * build our own tree. All syntax errors of the file are reported together.
 */
public final class SourceParser {
    /** Deepest nesting of brackets, braces, parentheses and interpolations accepted. */
    public static final int MAX_NESTING = 128;

    private SourceParser() {
    }

    public static ParseResult parse(SourceFile source) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (source.text().isBlank()) {
            diagnostics.add(Diagnostic.of(Code.EMPTY_FILE, source, new Span(0, 0))
                    .withHint("see examples/hello/hello.pipe for the smallest pipeline"));
            return new ParseResult(source, null, List.of(), diagnostics);
        }
        // A UTF-16 stream, not CharStreams.fromString: that one counts code points, and every
        // span after an emoji would then be off from the char offsets SourceFile works in.
        PipeLexer lexer = new PipeLexer(CodePointCharStream.fromBuffer(
                CodePointBuffer.withChars(CharBuffer.wrap(source.text().toCharArray())), source.path()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object symbol, int line, int col, String msg,
                    RecognitionException e) {
                int offset = lexer._tokenStartCharIndex;
                String ch = offset < source.text().length() ? source.text().substring(offset, offset + 1) : "";
                diagnostics.add(Diagnostic.of(Code.SYNTAX, source, new Span(offset, Math.min(offset + 1, source.text().length())),
                        ch.equals("\\") ? "a backslash cannot end a line inside a string"
                                : "unexpected character `" + ch + "`"));
            }
        });
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        List<Comment> comments = new ArrayList<>();
        Diagnostic deep = null;
        int depth = 0;
        int bangs = 0;
        for (Token t : tokens.getTokens()) {
            switch (t.getType()) {
                case PipeLexer.LBRACE, PipeLexer.LBRACK, PipeLexer.LPAREN, PipeLexer.STR_INTERP, PipeLexer.TRI_INTERP ->
                        depth++;
                case PipeLexer.RBRACE, PipeLexer.RBRACK, PipeLexer.RPAREN -> depth = Math.max(0, depth - 1);
                case PipeLexer.LINE_COMMENT, PipeLexer.BLOCK_COMMENT -> comments.add(new Comment(t.getText(),
                        t.getType() == PipeLexer.BLOCK_COMMENT, ExprBuilder.span(t)));
                default -> {
                }
            }
            bangs = t.getType() == PipeLexer.BANG ? bangs + 1 : 0;
            if ((depth > MAX_NESTING || bangs > MAX_NESTING) && deep == null) {
                deep = Diagnostic.of(Code.TOO_DEEP, source, ExprBuilder.span(t), MAX_NESTING)
                        .withHint("flatten the structure; no real pipeline needs this much nesting");
            }
        }
        if (deep != null) {
            diagnostics.add(deep);
            return new ParseResult(source, null, comments, diagnostics);
        }
        if (!diagnostics.isEmpty()) {
            return new ParseResult(source, null, comments, diagnostics);
        }
        try {
            PipeParser.FileContext tree = parseTree(tokens, source, diagnostics);
            if (!diagnostics.isEmpty()) {
                return new ParseResult(source, null, comments, diagnostics);
            }
            Program program = new AstBuilder(source, diagnostics).program(tree);
            return new ParseResult(source, program, comments, diagnostics);
        } catch (ExprBuilder.TooDeep e) {
            diagnostics.clear();
            diagnostics.add(Diagnostic.of(Code.TOO_DEEP, source, e.span, MAX_NESTING)
                    .withHint("this expression is too long or too deep to read safely; split it up"));
            return new ParseResult(source, null, comments, diagnostics);
        } catch (StackOverflowError e) {
            diagnostics.clear();
            diagnostics.add(Diagnostic.of(Code.TOO_DEEP, source, new Span(0, 0), MAX_NESTING)
                    .withHint("an expression or list here is too long or too deep to read safely; split it up"));
            return new ParseResult(source, null, comments, diagnostics);
        }
    }

    private static PipeParser.FileContext parseTree(CommonTokenStream tokens, SourceFile source,
            List<Diagnostic> diagnostics) {
        PipeParser parser = new PipeParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            return parser.file();
        } catch (ParseCancellationException e) {
            tokens.seek(0);
            parser.reset();
            parser.addErrorListener(new SyntaxErrors(source, diagnostics));
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            return parser.file();
        }
    }
}
