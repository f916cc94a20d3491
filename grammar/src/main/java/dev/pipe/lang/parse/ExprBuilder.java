package dev.pipe.lang.parse;

import dev.pipe.lang.antlr.PipeParser;
import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Turns ANTLR expression, string and literal contexts into {@link Expr} records. */
class ExprBuilder {
    final SourceFile source;
    final List<Diagnostic> diagnostics;
    /** How many expressions enclose the one being built; see {@link TooDeep}. */
    private int depth;

    ExprBuilder(SourceFile source, List<Diagnostic> diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    static Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        int s = start.getStartIndex();
        int e = stop == null || stop.getStopIndex() < s ? s : stop.getStopIndex() + 1;
        return new Span(Math.max(0, s), Math.max(Math.max(0, s), e));
    }

    static Span span(Token t) {
        int s = Math.max(0, t.getStartIndex());
        return new Span(s, Math.max(s, t.getStopIndex() + 1));
    }

    static Span span(TerminalNode n) {
        return span(n.getSymbol());
    }

    Ident ident(PipeParser.IdentContext ctx) {
        return new Ident(ctx.getText(), span(ctx));
    }

    Ident qualified(PipeParser.QualifiedNameContext ctx) {
        StringBuilder sb = new StringBuilder();
        for (PipeParser.IdentContext part : ctx.ident()) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(part.getText());
        }
        return new Ident(sb.toString(), span(ctx));
    }

    Expr.Num number(TerminalNode n) {
        return new Expr.Num(n.getText(), span(n));
    }

    Expr.Dur duration(PipeParser.DurationContext ctx) {
        return ctx == null ? null : new Expr.Dur(ctx.getText(), span(ctx));
    }

    Expr.Bool bool(PipeParser.BoolLitContext ctx) {
        return new Expr.Bool(ctx.TRUE() != null, span(ctx));
    }

    List<Expr.Str> strings(PipeParser.StringListContext ctx) {
        List<Expr.Str> out = new ArrayList<>();
        for (PipeParser.StringContext s : ctx.string()) {
            out.add(string(s));
        }
        return out;
    }

    Expr.Str string(PipeParser.StringContext ctx) {
        List<Expr.StrPart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        if (ctx instanceof PipeParser.PlainStringContext plain) {
            for (PipeParser.StringPartContext part : plain.stringPart()) {
                switch (part) {
                    case PipeParser.StrTextContext t -> text.append(t.getText());
                    case PipeParser.StrEscapeContext e -> text.append(unescape(e.STR_ESCAPE()));
                    case PipeParser.StrInterpContext i -> {
                        flush(text, parts);
                        parts.add(new Expr.StrPart.Interp(expr(i.expr())));
                    }
                    default -> throw new IllegalStateException(part.getClass().getName());
                }
            }
            flush(text, parts);
            return new Expr.Str(parts, false, span(ctx));
        }
        PipeParser.TripleStringContext triple = (PipeParser.TripleStringContext) ctx;
        for (PipeParser.TriplePartContext part : triple.triplePart()) {
            switch (part) {
                case PipeParser.TriTextContext t -> text.append(t.getText());
                case PipeParser.TriEscapeContext e -> text.append(e.getText().charAt(1));
                case PipeParser.TriInterpContext i -> {
                    flush(text, parts);
                    parts.add(new Expr.StrPart.Interp(expr(i.expr())));
                }
                default -> throw new IllegalStateException(part.getClass().getName());
            }
        }
        flush(text, parts);
        return new Expr.Str(parts, true, span(ctx));
    }

    private static void flush(StringBuilder text, List<Expr.StrPart> parts) {
        if (!text.isEmpty()) {
            parts.add(new Expr.StrPart.Text(text.toString()));
            text.setLength(0);
        }
    }

    private String unescape(TerminalNode escape) {
        String t = escape.getText();
        return switch (t.charAt(1)) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '"' -> "\"";
            case '\\' -> "\\";
            case '$' -> "$";
            default -> {
                diagnostics.add(Diagnostic.of(Code.BAD_ESCAPE, source, span(escape), t));
                yield t.substring(1);
            }
        };
    }

    List<Expr> exprs(List<PipeParser.ExprContext> list) {
        List<Expr> out = new ArrayList<>(list.size());
        for (PipeParser.ExprContext e : list) {
            out.add(expr(e));
        }
        return out;
    }

    Expr expr(PipeParser.ExprContext ctx) {
        if (ctx == null) {
            return null;
        }
        Span span = span(ctx);
        if (depth >= SourceParser.MAX_NESTING) {
            throw new TooDeep(span);
        }
        depth++;
        try {
            return build(ctx, span);
        } finally {
            depth--;
        }
    }

    private Expr build(PipeParser.ExprContext ctx, Span span) {
        return switch (ctx) {
            case PipeParser.PrimaryExprContext p -> primary(p.primary());
            case PipeParser.MemberExprContext m -> new Expr.Member(expr(m.expr()), ident(m.ident()), span);
            case PipeParser.CallExprContext c -> {
                List<PipeParser.ExprContext> all = c.expr();
                yield new Expr.Call(expr(all.get(0)), exprs(all.subList(1, all.size())), span);
            }
            case PipeParser.NotExprContext n -> new Expr.Not(expr(n.expr()), span);
            case PipeParser.CoalesceExprContext q -> binary(Expr.BinaryOp.COALESCE, q.expr(), span);
            case PipeParser.CompareExprContext c -> binary(switch (c.op.getType()) {
                case PipeParser.LT -> Expr.BinaryOp.LT;
                case PipeParser.GT -> Expr.BinaryOp.GT;
                case PipeParser.LE -> Expr.BinaryOp.LE;
                default -> Expr.BinaryOp.GE;
            }, c.expr(), span);
            case PipeParser.EqualityExprContext e -> binary(switch (e.op.getType()) {
                case PipeParser.EQEQ -> Expr.BinaryOp.EQ;
                case PipeParser.NEQ -> Expr.BinaryOp.NE;
                default -> Expr.BinaryOp.MATCH;
            }, e.expr(), span);
            case PipeParser.AndExprContext a -> binary(Expr.BinaryOp.AND, a.expr(), span);
            case PipeParser.OrExprContext o -> binary(Expr.BinaryOp.OR, o.expr(), span);
            default -> throw new IllegalStateException(ctx.getClass().getName());
        };
    }

    private Expr binary(Expr.BinaryOp op, List<PipeParser.ExprContext> sides, Span span) {
        return new Expr.Binary(op, expr(sides.get(0)), expr(sides.get(1)), span);
    }

    private Expr primary(PipeParser.PrimaryContext ctx) {
        Span span = span(ctx);
        return switch (ctx) {
            case PipeParser.StringPrimaryContext s -> string(s.string());
            case PipeParser.NumberPrimaryContext n -> new Expr.Num(n.getText(), span);
            case PipeParser.DurationPrimaryContext d -> new Expr.Dur(d.getText(), span);
            case PipeParser.BoolPrimaryContext b -> bool(b.boolLit());
            case PipeParser.ListPrimaryContext l -> new Expr.ListLit(exprs(l.expr()), span);
            case PipeParser.ParenPrimaryContext p -> new Expr.Paren(expr(p.expr()), span);
            case PipeParser.IdentPrimaryContext i -> new Expr.Ref(i.getText(), span);
            default -> throw new IllegalStateException(ctx.getClass().getName());
        };
    }

    /**
     * A chain such as {@code a || a || ...} has no brackets, so the nesting check before parsing
     * misses it, yet it makes a tree as deep as it is long, and every later pass recurses over
     * trees. Stopping at a fixed depth keeps them all safe, whatever the stack size.
     */
    static final class TooDeep extends RuntimeException {
        final Span span;

        TooDeep(Span span) {
            super(null, null, false, false);
            this.span = span;
        }
    }
}
