package dev.pipe.engine.eval;

import dev.pipe.lang.format.Formatter;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Span;
import java.util.List;

/**
 * Writes expressions back as source text for plans and messages
 * ({@code when `event == manual || git.tag ~ "v*"` is false}), in the formatter's spelling so
 * that a plan quotes a condition exactly as {@code pipe fmt} would print it.
 */
public final class ExprText {
    private ExprText() {
    }

    public static String print(Expr e) {
        return Formatter.expression(e);
    }

    /** A string literal, escaped so that it reads back as the same string. */
    public static String string(Expr.Str s) {
        return Formatter.expression(s);
    }

    /** A plain string as a literal: {@code "a \"b\""}. */
    public static String quote(String text) {
        return Formatter.expression(new Expr.Str(List.of(new Expr.StrPart.Text(text)), false, Span.NONE));
    }
}
