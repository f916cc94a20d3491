package dev.pipe.engine.eval;

import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.time.Durations;
import dev.pipe.lang.time.TimeSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates expressions with three outcomes: a known {@link Value}, {@link Result.Unknown} (only
 * the run will know, such as a step's output) and {@link Result.Absent} (no value, such as
 * {@code git.tag} on a branch push).
 *
 * <p>Rules: {@code &&} and {@code ||} short-circuit, so {@code false && x} is false and
 * {@code true || x} is true even when {@code x} is unknown; otherwise an unknown operand makes
 * the result unknown. An absent value reads as false in a condition, equals nothing but another
 * absent value, matches no pattern, starts or ends with nothing, and {@code ??} replaces it.
 * Secrets are markers without values: interpolated they show as {@code ***}, and comparing one
 * is unknown (the checker forbids secrets in conditions anyway).
 */
public final class Evaluator {
    /** Bare names that are string constants: {@code event == manual}. */
    public static final Set<String> EVENT_NAMES = Set.of("push", "tag", "pull_request", "manual", "schedule");

    private final Scope scope;

    public Evaluator(Scope scope) {
        this.scope = scope;
    }

    public Result evaluate(Expr e) {
        return eval(e, null);
    }

    /** Evaluates and records each name and function call read on the way. */
    public Explained explain(Expr e) {
        Map<String, Observation> seen = new LinkedHashMap<>();
        Result r = eval(e, seen);
        return new Explained(r, new ArrayList<>(seen.values()));
    }

    /**
     * The expression as a plan shows it: a string with its interpolations filled in, unknown
     * parts kept as {@code ${steps.build.digest}}, secrets as {@code ***}, unset parts empty.
     */
    public String display(Expr e) {
        return evaluate(e).display();
    }

    /**
     * The text to execute: like {@link #display} but with the real values of secrets. Unset
     * parts are empty.
     *
     * @throws UnknownValueException when a part is not known yet, or a secret has no value
     */
    public String reveal(Expr e) {
        Result r = evaluate(e);
        return switch (r) {
            case Result.Unknown u -> throw new UnknownValueException("`" + ExprText.print(e) + "` is not known yet: " + u.reason());
            case Result.Absent a -> "";
            case Result.Known k -> {
                String text = realText(k.value());
                if (text == null) {
                    throw new UnknownValueException("`" + ExprText.print(e) + "` uses "
                            + (k.value() instanceof Value.Secret s ? names(s.names()) : "a secret") + " with no value");
                }
                yield text;
            }
        };
    }

    /**
     * The real text of each item of a list, for arguments that take a list; a value that is not
     * a list is one item.
     *
     * @throws UnknownValueException as {@link #reveal} does
     */
    public List<String> revealList(Expr e) {
        Result r = evaluate(e);
        if (r instanceof Result.Known k && k.value() instanceof Value.ListOf l) {
            List<String> out = new ArrayList<>();
            for (Value item : l.items()) {
                String text = realText(item);
                if (text == null) {
                    throw new UnknownValueException("`" + ExprText.print(e) + "` uses a secret with no value");
                }
                out.add(text);
            }
            return out;
        }
        return r instanceof Result.Absent ? List.of() : List.of(reveal(e));
    }

    private static String names(List<String> secretNames) {
        List<String> distinct = secretNames.stream().distinct().map(n -> "secrets." + n).toList();
        return (distinct.size() == 1 ? "secret " : "secrets ") + String.join(", ", distinct);
    }

    /** A value's real text, or null when it holds a secret without a value. */
    private static String realText(Value v) {
        return switch (v) {
            case Value.Secret s -> s.revealed();
            case Value.ListOf l -> {
                List<String> parts = new ArrayList<>();
                for (Value item : l.items()) {
                    String t = realText(item);
                    if (t == null) {
                        yield null;
                    }
                    parts.add(t);
                }
                yield String.join(" ", parts);
            }
            default -> v.display();
        };
    }

    private Result eval(Expr e, Map<String, Observation> seen) {
        return switch (e) {
            case Expr.Str s -> string(s, seen);
            case Expr.Num n -> Result.of(new Value.Num(n.value()));
            case Expr.Dur d -> duration(d);
            case Expr.Bool b -> Result.of(b.value());
            case Expr.ListLit l -> list(l, seen);
            case Expr.Ref r -> EVENT_NAMES.contains(r.name()) && !scope.shadows(r.name())
                    ? Result.of(r.name())
                    : lookup(List.of(r.name()), seen);
            case Expr.Member m -> {
                List<String> path = Expr.path(m);
                yield path == null
                        ? new Result.Unknown("`" + ExprText.print(m) + "` reads a member of something that has none", wrap(m))
                        : lookup(path, seen);
            }
            case Expr.Call c -> call(c, seen);
            case Expr.Not n -> {
                Result t = truth(eval(n.operand(), seen), n.operand());
                yield t instanceof Result.Known k ? Result.of(!((Value.Bool) k.value()).value()) : unknown(t, e);
            }
            case Expr.Binary b -> binary(b, seen);
            case Expr.Paren p -> eval(p.inner(), seen);
        };
    }

    private Result lookup(List<String> path, Map<String, Observation> seen) {
        String text = String.join(".", path);
        Result r = scope.resolve(path);
        if (r instanceof Result.Unknown u && u.display() == null) {
            r = new Result.Unknown(u.reason(), "${" + text + "}");
        }
        if (seen != null) {
            seen.putIfAbsent(text, new Observation(text, r));
        }
        return r;
    }

    private static Result duration(Expr.Dur d) {
        try {
            return Result.of(new Value.Dur(Durations.parse(d.text())));
        } catch (TimeSyntaxException ex) {
            return new Result.Unknown("`" + d.text() + "` is not a duration", d.text());
        }
    }

    private Result string(Expr.Str s, Map<String, Observation> seen) {
        StringBuilder shown = new StringBuilder();
        // the real text, kept while every secret in it has a value
        StringBuilder real = new StringBuilder();
        List<String> secrets = new ArrayList<>();
        String unknownReason = null;
        for (Expr.StrPart part : s.parts()) {
            switch (part) {
                case Expr.StrPart.Text t -> {
                    shown.append(t.value());
                    if (real != null) {
                        real.append(t.value());
                    }
                }
                case Expr.StrPart.Interp i -> {
                    Result r = eval(i.expr(), seen);
                    shown.append(r.display());
                    if (r instanceof Result.Unknown u && unknownReason == null) {
                        unknownReason = u.reason();
                    } else if (r instanceof Result.Known k && k.value() instanceof Value.Secret sec) {
                        secrets.addAll(sec.names());
                    }
                    String text = r instanceof Result.Known k ? realText(k.value()) : r.display();
                    if (text == null) {
                        real = null;
                    } else if (real != null) {
                        real.append(text);
                    }
                }
            }
        }
        if (unknownReason != null) {
            return new Result.Unknown(unknownReason, shown.toString());
        }
        if (!secrets.isEmpty()) {
            return Result.of(new Value.Secret(secrets, shown.toString(), real == null ? null : real.toString()));
        }
        return Result.of(shown.toString());
    }

    private Result list(Expr.ListLit l, Map<String, Observation> seen) {
        List<Value> items = new ArrayList<>();
        for (Expr item : l.items()) {
            Result r = eval(item, seen);
            switch (r) {
                case Result.Known k -> items.add(k.value());
                case Result.Unknown u -> {
                    return new Result.Unknown(u.reason(), wrap(l));
                }
                case Result.Absent a -> {
                    return a;
                }
            }
        }
        return Result.of(new Value.ListOf(items));
    }

    private Result binary(Expr.Binary b, Map<String, Observation> seen) {
        return switch (b.op()) {
            case AND, OR -> logical(b, seen);
            case COALESCE -> {
                Result l = eval(b.left(), seen);
                yield switch (l) {
                    case Result.Absent a -> eval(b.right(), seen);
                    case Result.Unknown u -> unknown(u, b);
                    case Result.Known k -> k;
                };
            }
            case EQ, NE -> {
                Result l = eval(b.left(), seen);
                Result r = eval(b.right(), seen);
                Result u = firstUnknown(b, l, r);
                if (u != null) {
                    yield u;
                }
                if (isSecret(l) || isSecret(r)) {
                    yield new Result.Unknown("secrets have no value at plan time", wrap(b));
                }
                boolean eq = l instanceof Result.Absent || r instanceof Result.Absent
                        ? l instanceof Result.Absent && r instanceof Result.Absent
                        : ((Result.Known) l).value().equals(((Result.Known) r).value());
                yield Result.of(b.op() == Expr.BinaryOp.EQ == eq);
            }
            case LT, GT, LE, GE -> compare(b, eval(b.left(), seen), eval(b.right(), seen));
            case MATCH -> {
                Result l = eval(b.left(), seen);
                Result r = eval(b.right(), seen);
                Result u = firstUnknown(b, l, r);
                if (u != null) {
                    yield u;
                }
                if (!(l instanceof Result.Known lk) || !(r instanceof Result.Known rk)) {
                    yield Result.of(false);
                }
                yield match(b, lk.value(), rk.value());
            }
        };
    }

    private Result logical(Expr.Binary b, Map<String, Observation> seen) {
        boolean and = b.op() == Expr.BinaryOp.AND;
        Result l = truth(eval(b.left(), seen), b.left());
        if (l instanceof Result.Known k && ((Value.Bool) k.value()).value() != and) {
            return l;
        }
        Result r = truth(eval(b.right(), seen), b.right());
        if (r instanceof Result.Known k && ((Value.Bool) k.value()).value() != and) {
            return r;
        }
        if (l instanceof Result.Unknown || r instanceof Result.Unknown) {
            return unknown(l instanceof Result.Unknown ? l : r, b);
        }
        return Result.of(and);
    }

    /** A result in a condition: a bool, an absent value read as false, or unknown. */
    private static Result truth(Result r, Expr e) {
        return switch (r) {
            case Result.Absent a -> Result.of(false);
            case Result.Unknown u -> u;
            case Result.Known k when k.value() instanceof Value.Bool -> k;
            case Result.Known k when k.value() instanceof Value.Secret ->
                    new Result.Unknown("secrets have no value at plan time", wrap(e));
            case Result.Known k -> new Result.Unknown(
                    "`" + ExprText.print(e) + "` is " + k.value().typeName() + ", not a bool", wrap(e));
        };
    }

    private Result compare(Expr.Binary b, Result l, Result r) {
        Result u = firstUnknown(b, l, r);
        if (u != null) {
            return u;
        }
        if (!(l instanceof Result.Known lk) || !(r instanceof Result.Known rk)) {
            return Result.of(false);
        }
        int c;
        if (lk.value() instanceof Value.Num x && rk.value() instanceof Value.Num y) {
            c = x.value().compareTo(y.value());
        } else if (lk.value() instanceof Value.Dur x && rk.value() instanceof Value.Dur y) {
            c = x.value().compareTo(y.value());
        } else if (lk.value() instanceof Value.Str x && rk.value() instanceof Value.Str y) {
            c = x.value().compareTo(y.value());
        } else {
            return new Result.Unknown("`" + ExprText.print(b) + "` compares " + lk.value().typeName()
                    + " with " + rk.value().typeName(), wrap(b));
        }
        boolean out = switch (b.op()) {
            case LT -> c < 0;
            case GT -> c > 0;
            case LE -> c <= 0;
            default -> c >= 0;
        };
        return Result.of(out);
    }

    private static Result match(Expr e, Value subject, Value pattern) {
        if (!(pattern instanceof Value.Str p)) {
            return new Result.Unknown("the pattern of `" + ExprText.print(e) + "` is not a string", wrap(e));
        }
        return switch (subject) {
            case Value.Str s -> Result.of(Glob.matches(p.value(), s.value()));
            case Value.ListOf l -> Result.of(l.items().stream()
                    .anyMatch(v -> v instanceof Value.Str s && Glob.matches(p.value(), s.value())));
            default -> new Result.Unknown("`" + ExprText.print(e) + "` matches " + subject.typeName()
                    + " against a pattern", wrap(e));
        };
    }

    private Result call(Expr.Call c, Map<String, Observation> seen) {
        String name = c.callee() instanceof Expr.Ref r ? r.name() : ExprText.print(c.callee());
        List<Result> args = new ArrayList<>();
        for (Expr a : c.args()) {
            args.add(eval(a, seen));
        }
        Result u = firstUnknown(c, args.toArray(Result[]::new));
        if (u != null) {
            return u;
        }
        Result out = switch (name) {
            case "changed" -> changed(c, args);
            case "contains", "starts_with", "ends_with" -> textFunction(c, name, args);
            default -> new Result.Unknown("`" + name + "` is not a function pipe knows", wrap(c));
        };
        if (seen != null && name.equals("changed")) {
            String text = ExprText.print(c);
            seen.putIfAbsent(text, new Observation(text, out));
        }
        return out;
    }

    private Result changed(Expr.Call c, List<Result> args) {
        if (args.size() != 1 || !(args.get(0) instanceof Result.Known k) || !(k.value() instanceof Value.Str p)) {
            return new Result.Unknown("changed() takes one pattern", wrap(c));
        }
        Result files = scope.resolve(List.of("git", "changed"));
        return switch (files) {
            case Result.Known f when f.value() instanceof Value.ListOf l -> Result.of(l.items().stream()
                    .anyMatch(v -> Glob.matches(p.value(), v.display())));
            case Result.Unknown fu -> new Result.Unknown(fu.reason(), wrap(c));
            default -> Result.of(false);
        };
    }

    private static Result textFunction(Expr.Call c, String name, List<Result> args) {
        if (args.size() != 2) {
            return new Result.Unknown(name + "() takes two arguments", wrap(c));
        }
        if (!(args.get(0) instanceof Result.Known subject) || !(args.get(1) instanceof Result.Known part)) {
            return Result.of(false);
        }
        Value s = subject.value();
        Value p = part.value();
        if (s instanceof Value.Secret || p instanceof Value.Secret) {
            return new Result.Unknown("secrets have no value at plan time", wrap(c));
        }
        if (name.equals("contains") && s instanceof Value.ListOf l) {
            return Result.of(l.items().contains(p));
        }
        if (!(s instanceof Value.Str str) || !(p instanceof Value.Str sub)) {
            return new Result.Unknown(name + "() works on strings" + (name.equals("contains") ? " and lists" : ""), wrap(c));
        }
        return Result.of(switch (name) {
            case "contains" -> str.value().contains(sub.value());
            case "starts_with" -> str.value().startsWith(sub.value());
            default -> str.value().endsWith(sub.value());
        });
    }

    private static boolean isSecret(Result r) {
        return r instanceof Result.Known k && k.value() instanceof Value.Secret;
    }

    private static Result firstUnknown(Expr whole, Result... results) {
        for (Result r : results) {
            if (r instanceof Result.Unknown u) {
                return unknown(u, whole);
            }
        }
        return null;
    }

    private static Result unknown(Result cause, Expr whole) {
        return new Result.Unknown(((Result.Unknown) cause).reason(), wrap(whole));
    }

    private static String wrap(Expr e) {
        return "${" + ExprText.print(e) + "}";
    }
}
