package dev.pipe.lang.syntax;

import java.math.BigDecimal;
import java.util.List;

/** Expressions. Every node carries the span of its source text. */
public sealed interface Expr {
    Span span();

    /** A string literal: text and {@code ${...}} interpolations; {@code triple} for {@code """..."""}. */
    record Str(List<StrPart> parts, boolean triple, Span span) implements Expr {
        public Str {
            parts = List.copyOf(parts);
        }

        /** True when the string has no interpolations. */
        public boolean isConstant() {
            return parts.stream().allMatch(p -> p instanceof StrPart.Text);
        }

        /** The literal text of a constant string (interpolations rendered as {@code ${...}}). */
        public String constantText() {
            StringBuilder sb = new StringBuilder();
            for (StrPart p : parts) {
                if (p instanceof StrPart.Text t) {
                    sb.append(t.value());
                } else {
                    sb.append("${...}");
                }
            }
            return sb.toString();
        }
    }

    /** A number as written; {@link #value()} parses it. */
    record Num(String text, Span span) implements Expr {
        public BigDecimal value() {
            return new BigDecimal(text);
        }
    }

    /** A duration literal as written, such as {@code 90s} or {@code 1h30m}; the checker validates it. */
    record Dur(String text, Span span) implements Expr {
    }

    record Bool(boolean value, Span span) implements Expr {
    }

    record ListLit(List<Expr> items, Span span) implements Expr {
        public ListLit {
            items = List.copyOf(items);
        }
    }

    /** A bare name: a root such as {@code git}, a pipeline var, or an event name such as {@code manual}. */
    record Ref(String name, Span span) implements Expr {
    }

    /** {@code target.name} */
    record Member(Expr target, Ident name, Span span) implements Expr {
    }

    /** {@code callee(args...)} */
    record Call(Expr callee, List<Expr> args, Span span) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    record Not(Expr operand, Span span) implements Expr {
    }

    record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {
    }

    /** Parentheses are kept so that formatting preserves the author's grouping. */
    record Paren(Expr inner, Span span) implements Expr {
    }

    enum BinaryOp {
        EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="), AND("&&"), OR("||"), MATCH("~"), COALESCE("??");

        private final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Higher binds tighter. */
        public int precedence() {
            return switch (this) {
                case COALESCE -> 5;
                case LT, GT, LE, GE -> 4;
                case EQ, NE, MATCH -> 3;
                case AND -> 2;
                case OR -> 1;
            };
        }
    }

    /** A part of a string literal. */
    sealed interface StrPart {
        /** Literal text with escapes already decoded. */
        record Text(String value) implements StrPart {
        }

        record Interp(Expr expr) implements StrPart {
        }
    }

    /** The dotted path of a member chain rooted at a name ({@code git.tag} → [git, tag]), or null. */
    static List<String> path(Expr e) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        Expr cur = e;
        while (cur instanceof Member m) {
            out.add(0, m.name().name());
            cur = m.target();
        }
        if (cur instanceof Ref r) {
            out.add(0, r.name());
            return out;
        }
        return null;
    }
}
