package dev.pipe.lang.check;

import dev.pipe.lang.diag.Suggest;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Trigger;
import java.util.List;
import java.util.Set;

/**
 * Infers the type of an expression and reports what is wrong with it: unknown names (through
 * {@link Refs}), operators applied to the wrong types, unknown functions, bad duration literals.
 * An expression whose type cannot be known before the run is {@link Type#ANY}, which fits anywhere.
 */
final class Exprs {
    static final Set<String> FUNCTIONS = Set.of("changed", "contains", "starts_with", "ends_with");

    private final Model m;
    private final Report r;
    private final Refs refs;

    Exprs(Model model, Report report) {
        this.m = model;
        this.r = report;
        this.refs = new Refs(model, report);
    }

    /** Checks an expression that must have type {@code want}; {@code what} names it in the message. */
    Type expect(Expr e, Scope s, Type want, String what) {
        if (e == null) {
            return Type.ANY;
        }
        Type t = infer(e, s);
        if (!want.accepts(t)) {
            Report.Entry entry = r.add(Code.TYPE_MISMATCH, e.span(), what + " must be " + want.article() + ", not " + t.article());
            if (want == Type.BOOL && t == Type.STRING) {
                entry.hint("compare it with something, as in `git.branch == \"main\"`");
            } else if (want == Type.STRING && t == Type.LIST) {
                entry.hint("pick one value, or pass the list to a step argument that takes a list");
            }
        }
        return t;
    }

    /** A stage or step {@code when}: a bool, without secrets. */
    void condition(Expr e, Scope s) {
        expect(e, s.at(Scope.Place.CONDITION), Type.BOOL, "a condition");
    }

    Type infer(Expr e, Scope s) {
        return switch (e) {
            case Expr.Str str -> string(str, s);
            case Expr.Num ignored -> Type.NUMBER;
            case Expr.Dur d -> {
                Values.duration(r, d);
                yield Type.DURATION;
            }
            case Expr.Bool ignored -> Type.BOOL;
            case Expr.ListLit list -> {
                for (Expr item : list.items()) {
                    infer(item, s);
                }
                yield Type.LIST;
            }
            case Expr.Ref ref -> refs.resolve(e, s, false);
            case Expr.Member member -> Expr.path(member) != null ? refs.resolve(e, s, false) : field(member, s);
            case Expr.Call call -> call(call, s);
            case Expr.Not not -> {
                Type t = infer(not.operand(), s);
                if (!Type.BOOL.accepts(t)) {
                    r.add(Code.TYPE_MISMATCH, not.operand().span(), "`!` needs a bool, but this is " + t.article());
                }
                yield Type.BOOL;
            }
            case Expr.Binary b -> binary(b, s);
            case Expr.Paren p -> infer(p.inner(), s);
        };
    }

    private Type string(Expr.Str str, Scope s) {
        for (Expr.StrPart part : str.parts()) {
            if (part instanceof Expr.StrPart.Interp interp) {
                Expr inner = interp.expr();
                Type t = inner instanceof Expr.Ref ? refs.resolve(inner, s, true) : infer(inner, s);
                if (t == Type.LIST) {
                    r.add(Code.TYPE_MISMATCH, inner.span(), "a list cannot be put into a string")
                            .hint("pass the list to a step argument that takes a list, or pick one item");
                }
            }
        }
        return Type.STRING;
    }

    /** {@code (expr).name} on something that is not a name: only names have fields. */
    private Type field(Expr.Member member, Scope s) {
        Type t = infer(member.target(), s);
        r.add(Code.TYPE_MISMATCH, member.name().span(),
                "`" + member.name().name() + "` cannot be read from " + t.article() + ": only names such as `git` have fields");
        return Type.ANY;
    }

    private Type call(Expr.Call call, Scope s) {
        String name = call.callee() instanceof Expr.Ref ref ? ref.name() : null;
        Type[] args = new Type[call.args().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = infer(call.args().get(i), s);
        }
        if (name == null || !FUNCTIONS.contains(name)) {
            String shown = name != null ? name : m.source.slice(call.callee().span());
            r.add(Code.UNKNOWN_FUNCTION, call.callee().span(), shown)
                    .hint(name == null ? null : Suggest.didYouMean(name, FUNCTIONS.stream().sorted().toList()))
                    .hint("the functions are changed(glob), contains(list_or_string, value), starts_with(s, prefix)"
                            + " and ends_with(s, suffix)");
            return Type.ANY;
        }
        int arity = name.equals("changed") ? 1 : 2;
        if (args.length != arity) {
            r.add(Code.TYPE_MISMATCH, call.span(), "`" + name + "` takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + ", not " + args.length).hint(usage(name));
            return Type.BOOL;
        }
        switch (name) {
            case "changed" -> {
                argument(call, 0, args, Type.STRING, name);
                refs.gitUnavailable(call.span(), "changed(...)");
            }
            case "contains" -> {
                if (args[0] != Type.ANY && args[0] != Type.LIST && args[0] != Type.STRING) {
                    r.add(Code.TYPE_MISMATCH, call.args().get(0).span(),
                            "the first argument of `contains` must be a list or a string, not " + args[0].article());
                } else if (args[0] == Type.STRING) {
                    argument(call, 1, args, Type.STRING, name);
                }
            }
            default -> {
                argument(call, 0, args, Type.STRING, name);
                argument(call, 1, args, Type.STRING, name);
            }
        }
        return Type.BOOL;
    }

    private void argument(Expr.Call call, int i, Type[] args, Type want, String function) {
        if (!want.accepts(args[i])) {
            r.add(Code.TYPE_MISMATCH, call.args().get(i).span(), "argument " + (i + 1) + " of `" + function + "` must be "
                    + want.article() + ", not " + args[i].article()).hint(usage(function));
        }
    }

    private static String usage(String function) {
        return switch (function) {
            case "changed" -> "write it as changed(\"src/**\")";
            case "contains" -> "write it as contains(git.changed, \"package.json\") or contains(git.message, \"[skip]\")";
            case "starts_with" -> "write it as starts_with(git.branch, \"release/\")";
            default -> "write it as ends_with(git.tag, \"-rc\")";
        };
    }

    private Type binary(Expr.Binary b, Scope s) {
        Type left = infer(b.left(), s);
        Type right = infer(b.right(), s);
        String op = "`" + b.op().symbol() + "`";
        switch (b.op()) {
            case AND, OR -> {
                bool(b.left(), left, op, "left");
                bool(b.right(), right, op, "right");
                return Type.BOOL;
            }
            case LT, GT, LE, GE -> {
                boolean ok = (left == Type.ANY || left == Type.NUMBER || left == Type.DURATION)
                        && (right == Type.ANY || right == Type.NUMBER || right == Type.DURATION)
                        && left.accepts(right);
                if (!ok) {
                    r.add(Code.TYPE_MISMATCH, b.span(), op + " compares two numbers or two durations, not "
                            + left.article() + " and " + right.article());
                }
                return Type.BOOL;
            }
            case EQ, NE -> {
                if (!left.accepts(right)) {
                    r.add(Code.TYPE_MISMATCH, b.span(), op + " compares values of the same type, not "
                            + left.article() + " and " + right.article());
                } else {
                    knownValue(b.left(), b.right());
                    knownValue(b.right(), b.left());
                }
                return Type.BOOL;
            }
            case MATCH -> {
                matchSide(b.left(), left, "left");
                matchSide(b.right(), right, "right");
                return Type.BOOL;
            }
            case COALESCE -> {
                if (!left.accepts(right)) {
                    r.add(Code.TYPE_MISMATCH, b.span(), "both sides of `??` must have the same type, not "
                            + left.article() + " and " + right.article());
                }
                return left == Type.ANY ? right : left;
            }
        }
        return Type.ANY;
    }

    private void bool(Expr side, Type t, String op, String which) {
        if (!Type.BOOL.accepts(t)) {
            r.add(Code.TYPE_MISMATCH, side.span(), op + " needs bools on both sides, but its " + which + " side is "
                    + t.article());
        }
    }

    private void matchSide(Expr side, Type t, String which) {
        if (!Type.STRING.accepts(t)) {
            r.add(Code.TYPE_MISMATCH, side.span(), "`~` matches a string against a glob pattern, but its " + which
                    + " side is " + t.article())
                    .hint(t == Type.LIST ? "to test changed files write changed(\"src/**\"); to test a list write"
                            + " contains(list, value)" : null);
        }
    }

    /**
     * Compares a constant with a value whose possible values are known: {@code event} (the event
     * names) or a choice input (its choices), so that {@code event == "pushh"} is caught.
     */
    private void knownValue(Expr subject, Expr other) {
        Expr inner = other;
        while (inner instanceof Expr.Paren p) {
            inner = p.inner();
        }
        if (!(inner instanceof Expr.Str str) || !str.isConstant()) {
            return;
        }
        List<String> path = Expr.path(subject);
        if (path == null) {
            return;
        }
        String value = str.constantText();
        if (path.size() == 1 && path.get(0).equals("event") && !Model.EVENTS.contains(value)) {
            r.add(Code.INVALID_VALUE, str.span(), "`" + value + "` is not an event: events are "
                    + Suggest.list(Model.EVENTS).replace("` and `", "` or `"))
                    .hint(Suggest.didYouMean(value, Model.EVENTS));
        } else if (path.size() == 2 && path.get(0).equals("inputs")) {
            Trigger.InputDecl input = m.inputs.get(path.get(1));
            if (input == null || input.type().kind() != Trigger.InputKind.CHOICE) {
                return;
            }
            List<String> choices = input.type().choices().stream().map(Expr.Str::constantText).toList();
            if (!choices.contains(value)) {
                r.add(Code.INVALID_VALUE, str.span(), "`" + value + "` is not one of the choices of input `"
                        + path.get(1) + "`: " + Suggest.list(choices))
                        .hint(Suggest.didYouMean(value, choices));
            }
        }
    }
}
