package dev.pipe.lang.gen;

import dev.pipe.lang.antlr.PipeLexer;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random names, literals, strings and expressions, shaped like trees the parser builds: where
 * the parser would need parentheses to produce a tree (an {@code ||} under an {@code &&}, a
 * {@code !} under a member access), the generator adds an {@link Expr.Paren}, as an author would.
 */
public class ExprGenerator {
    static final Span NONE = Span.NONE;

    /** Every keyword of the language; all of them are usable as names except {@code true} and {@code false}. */
    public static final List<String> KEYWORDS = keywords();

    private static final List<String> NAMES = List.of(
            "a", "b", "build", "test", "deploy_prod", "x1", "_tmp", "my-name", "API_URL", "node", "db", "z9_y");
    private static final String STRING_CHARS = "abc XYZ019 -_./:*?'\"\\${}\n\t\r#//*éü€日";
    private static final String[] DURATIONS = {"10m", "90s", "1h30m", "500ms", "24h", "1d", "1.5h", "7x", "2w3d"};
    private static final String[] NUMBERS = {"0", "1", "2", "10", "200", "1.5", "007", "99999999999999999999"};

    protected final Random r;
    private final int maxDepth;

    public ExprGenerator(Random random, int maxDepth) {
        this.r = random;
        this.maxDepth = maxDepth;
    }

    private static List<String> keywords() {
        List<String> out = new ArrayList<>();
        for (int type = PipeLexer.PIPELINE; type <= PipeLexer.CHOICE; type++) {
            String literal = PipeLexer.VOCABULARY.getLiteralName(type);
            String word = literal.substring(1, literal.length() - 1);
            if (!word.equals("true") && !word.equals("false")) {
                out.add(word);
            }
        }
        return List.copyOf(out);
    }

    protected boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    protected <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    /** A name; a soft keyword about a quarter of the time. */
    public String name() {
        return chance(25) ? pick(KEYWORDS) : pick(NAMES);
    }

    public Ident ident() {
        return new Ident(name(), NONE);
    }

    /** {@code a}, {@code a.b} or {@code a.b.c}, as step functions are named. */
    public Ident qualified() {
        StringBuilder sb = new StringBuilder(name());
        for (int i = r.nextInt(3); i > 0 && chance(50); i--) {
            sb.append('.').append(name());
        }
        return new Ident(sb.toString(), NONE);
    }

    public List<Ident> idents(int max) {
        List<Ident> out = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            out.add(ident());
        }
        return out;
    }

    public Expr.Num number() {
        return new Expr.Num(NUMBERS[r.nextInt(NUMBERS.length)], NONE);
    }

    /** A duration as the {@code duration} rule accepts it: with a unit, or a bare number. */
    public Expr.Dur duration() {
        if (chance(10)) {
            // A template's duration parameter, as in `timeout params.limit`.
            return new Expr.Dur("params." + name(), NONE);
        }
        return new Expr.Dur(chance(15) ? NUMBERS[r.nextInt(NUMBERS.length)] : DURATIONS[r.nextInt(DURATIONS.length)], NONE);
    }

    public Expr.Str string() {
        return string(1);
    }

    /** A string literal, sometimes triple-quoted, with escapes and, when depth allows, interpolations. */
    public Expr.Str string(int depth) {
        boolean triple = chance(20);
        List<Expr.StrPart> parts = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            boolean afterText = !parts.isEmpty() && parts.getLast() instanceof Expr.StrPart.Text;
            if (depth > 0 && (afterText || chance(35))) {
                parts.add(new Expr.StrPart.Interp(expr(depth - 1)));
            } else if (!afterText) {
                parts.add(new Expr.StrPart.Text(text(triple)));
            }
        }
        // Triple quotes cannot end in `"`: the formatter would rightly fall back to a plain string.
        if (triple && !parts.isEmpty() && parts.getLast() instanceof Expr.StrPart.Text t && t.value().endsWith("\"")) {
            parts.set(parts.size() - 1, new Expr.StrPart.Text(t.value() + "x"));
        }
        return new Expr.Str(parts, triple, NONE);
    }

    private String text(boolean triple) {
        StringBuilder sb = new StringBuilder();
        int length = 1 + r.nextInt(8);
        for (int i = 0; i < length; i++) {
            sb.append(STRING_CHARS.charAt(r.nextInt(STRING_CHARS.length())));
        }
        String s = sb.toString();
        while (triple && s.contains("\"\"\"")) {
            s = s.replace("\"\"\"", "\"x\"");
        }
        return s;
    }

    public Expr expr() {
        return expr(maxDepth);
    }

    public Expr expr(int depth) {
        if (depth <= 0 || chance(30)) {
            return leaf(depth);
        }
        return switch (r.nextInt(9)) {
            case 0 -> new Expr.Member(postfix(expr(depth - 1)), ident(), NONE);
            case 1 -> new Expr.Call(postfix(expr(depth - 1)), exprs(depth - 1, 3), NONE);
            case 2 -> new Expr.Not(operandOfNot(expr(depth - 1)), NONE);
            case 3 -> new Expr.ListLit(exprs(depth - 1, 3), NONE);
            case 4 -> new Expr.Paren(expr(depth - 1), NONE);
            default -> binary(pick(List.of(Expr.BinaryOp.values())), expr(depth - 1), expr(depth - 1));
        };
    }

    public List<Expr> exprs(int depth, int max) {
        List<Expr> out = new ArrayList<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            out.add(expr(depth));
        }
        return out;
    }

    private Expr leaf(int depth) {
        return switch (r.nextInt(6)) {
            case 0 -> string(Math.min(depth, 1));
            case 1 -> number();
            case 2 -> new Expr.Dur(DURATIONS[r.nextInt(DURATIONS.length)], NONE);
            case 3 -> new Expr.Bool(r.nextBoolean(), NONE);
            default -> new Expr.Ref(name(), NONE);
        };
    }

    /** Binding strength as the grammar orders it: postfix and literals, then {@code !}, then the binary operators. */
    private static int strength(Expr e) {
        return switch (e) {
            case Expr.Binary b -> b.op().precedence();
            case Expr.Not ignored -> 6;
            default -> 7;
        };
    }

    private static Expr paren(Expr e) {
        return new Expr.Paren(e, NONE);
    }

    private static Expr postfix(Expr e) {
        return strength(e) < 7 ? paren(e) : e;
    }

    private static Expr operandOfNot(Expr e) {
        return strength(e) < 6 ? paren(e) : e;
    }

    /** All binary operators group to the left except {@code ??}, which groups to the right. */
    private static Expr binary(Expr.BinaryOp op, Expr left, Expr right) {
        int p = op.precedence();
        boolean rightAssoc = op == Expr.BinaryOp.COALESCE;
        Expr l = strength(left) < p || (rightAssoc && strength(left) == p) ? paren(left) : left;
        Expr r = strength(right) < p || (!rightAssoc && strength(right) == p) ? paren(right) : right;
        return new Expr.Binary(op, l, r, NONE);
    }

    /** True when the expression's text starts with {@code (}. */
    public static boolean startsWithParen(Expr e) {
        return switch (e) {
            case Expr.Paren ignored -> true;
            case Expr.Member m -> startsWithParen(m.target());
            case Expr.Call c -> startsWithParen(c.callee());
            case Expr.Binary b -> startsWithParen(b.left());
            default -> false;
        };
    }
}
