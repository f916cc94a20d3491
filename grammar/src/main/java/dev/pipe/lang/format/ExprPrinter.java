package dev.pipe.lang.format;

import dev.pipe.lang.syntax.Expr;
import java.util.List;

/**
 * Prints expressions and string literals in canonical form: single spaces around binary
 * operators, the author's parentheses and nothing more, strings re-escaped one way.
 */
final class ExprPrinter {
    private ExprPrinter() {
    }

    static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        expr(e, sb);
        return sb.toString();
    }

    static String list(List<? extends Expr> items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            expr(items.get(i), sb);
        }
        return sb.append(']').toString();
    }

    private static void expr(Expr e, StringBuilder sb) {
        switch (e) {
            case Expr.Str s -> string(s, sb);
            case Expr.Num n -> sb.append(n.text());
            case Expr.Dur d -> sb.append(d.text());
            case Expr.Bool b -> sb.append(b.value());
            case Expr.ListLit l -> sb.append(list(l.items()));
            case Expr.Ref r -> sb.append(r.name());
            case Expr.Member m -> {
                expr(m.target(), sb);
                sb.append('.').append(m.name().name());
            }
            case Expr.Call c -> {
                expr(c.callee(), sb);
                sb.append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    expr(c.args().get(i), sb);
                }
                sb.append(')');
            }
            case Expr.Not n -> {
                sb.append('!');
                expr(n.operand(), sb);
            }
            case Expr.Binary b -> {
                expr(b.left(), sb);
                sb.append(' ').append(b.op().symbol()).append(' ');
                expr(b.right(), sb);
            }
            case Expr.Paren p -> {
                sb.append('(');
                expr(p.inner(), sb);
                sb.append(')');
            }
        }
    }

    /** A string literal; triple-quoted stays triple-quoted unless its text cannot be written that way. */
    static void string(Expr.Str s, StringBuilder sb) {
        if (s.triple() && tripleFits(s)) {
            triple(s, sb);
        } else {
            plain(s, sb);
        }
    }

    static String string(Expr.Str s) {
        StringBuilder sb = new StringBuilder();
        string(s, sb);
        return sb.toString();
    }

    /** Triple quotes cannot hold {@code """}, nor a {@code "} right before the closing quotes. */
    private static boolean tripleFits(Expr.Str s) {
        List<Expr.StrPart> parts = s.parts();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Expr.StrPart.Text t
                    && (t.value().contains("\"\"\"") || (i == parts.size() - 1 && t.value().endsWith("\"")))) {
                return false;
            }
        }
        return true;
    }

    private static void plain(Expr.Str s, StringBuilder sb) {
        sb.append('"');
        for (Expr.StrPart part : s.parts()) {
            switch (part) {
                case Expr.StrPart.Text t -> {
                    String v = t.value();
                    for (int i = 0; i < v.length(); i++) {
                        char c = v.charAt(i);
                        switch (c) {
                            case '"' -> sb.append("\\\"");
                            case '\\' -> sb.append("\\\\");
                            case '\n' -> sb.append("\\n");
                            case '\t' -> sb.append("\\t");
                            case '\r' -> sb.append("\\r");
                            case '$' -> sb.append(i + 1 < v.length() && v.charAt(i + 1) == '{' ? "\\$" : "$");
                            default -> sb.append(c);
                        }
                    }
                }
                case Expr.StrPart.Interp in -> interp(in, sb);
            }
        }
        sb.append('"');
    }

    private static void triple(Expr.Str s, StringBuilder sb) {
        sb.append("\"\"\"");
        List<Expr.StrPart> parts = s.parts();
        for (int p = 0; p < parts.size(); p++) {
            switch (parts.get(p)) {
                case Expr.StrPart.Text t -> {
                    String v = t.value();
                    // What the lexer sees right after this text: an interpolation starts with `$`.
                    char after = p + 1 < parts.size() ? '$' : '"';
                    for (int i = 0; i < v.length(); i++) {
                        char c = v.charAt(i);
                        char next = i + 1 < v.length() ? v.charAt(i + 1) : after;
                        if (c == '\\' && (next == '\\' || next == '$')) {
                            sb.append("\\\\");
                        } else if (c == '$' && i + 1 < v.length() && next == '{') {
                            sb.append("\\$");
                        } else {
                            sb.append(c);
                        }
                    }
                }
                case Expr.StrPart.Interp in -> interp(in, sb);
            }
        }
        sb.append("\"\"\"");
    }

    private static void interp(Expr.StrPart.Interp in, StringBuilder sb) {
        sb.append("${");
        expr(in.expr(), sb);
        sb.append('}');
    }
}
