package dev.pipe.engine.eval;

import dev.pipe.lang.syntax.Expr;
import java.util.stream.Collectors;

/**
 * Writes an expression back as source text in one canonical spelling, for plans and messages
 * ({@code when `event == manual || git.tag ~ "v*"` is false}). Parentheses are kept as written.
 */
public final class ExprText {
    private ExprText() {
    }

    public static String print(Expr e) {
        return switch (e) {
            case Expr.Str s -> string(s);
            case Expr.Num n -> n.text();
            case Expr.Dur d -> d.text();
            case Expr.Bool b -> Boolean.toString(b.value());
            case Expr.ListLit l -> l.items().stream().map(ExprText::print).collect(Collectors.joining(", ", "[", "]"));
            case Expr.Ref r -> r.name();
            case Expr.Member m -> print(m.target()) + "." + m.name().name();
            case Expr.Call c -> print(c.callee())
                    + c.args().stream().map(ExprText::print).collect(Collectors.joining(", ", "(", ")"));
            case Expr.Not n -> "!" + print(n.operand());
            case Expr.Binary b -> print(b.left()) + " " + b.op().symbol() + " " + print(b.right());
            case Expr.Paren p -> "(" + print(p.inner()) + ")";
        };
    }

    /** A string literal, escaped so that it reads back as the same string. */
    public static String string(Expr.Str s) {
        StringBuilder sb = new StringBuilder("\"");
        for (Expr.StrPart part : s.parts()) {
            switch (part) {
                case Expr.StrPart.Text t -> escape(t.value(), sb);
                case Expr.StrPart.Interp i -> sb.append("${").append(print(i.expr())).append('}');
            }
        }
        return sb.append('"').toString();
    }

    /** A plain string as a literal: {@code "a \"b\""}. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        escape(text, sb);
        return sb.append('"').toString();
    }

    private static void escape(String text, StringBuilder sb) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '$' -> sb.append(i + 1 < text.length() && text.charAt(i + 1) == '{' ? "\\$" : "$");
                default -> sb.append(c);
            }
        }
    }
}
