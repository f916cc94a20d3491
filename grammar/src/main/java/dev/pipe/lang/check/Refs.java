package dev.pipe.lang.check;

import dev.pipe.lang.diag.Suggest;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves names in expressions: the roots ({@code git}, {@code inputs}, {@code stages} ...), then
 * pipeline vars, then event names. Every unknown name is reported under the part that is wrong,
 * with the closest known name as a hint.
 */
final class Refs {
    static final Map<String, Type> GIT = fields("branch", "sha", "short_sha", "tag", "message", "author");
    static final Map<String, Type> RUN = fields("id", "triggered_by", "failed_stage", "status");
    static final Map<String, Type> PREVIOUS = fields("version", "run");
    static final List<String> ROOTS = List.of("git", "event", "inputs", "vars", "secrets", "env", "matrix", "stages",
            "steps", "run", "version", "previous");

    static {
        GIT.put("changed", Type.LIST);
    }

    private final Model m;
    private final Report r;
    private final Outputs outputs;

    Refs(Model model, Report report) {
        this.m = model;
        this.r = report;
        this.outputs = new Outputs(model, report, this);
    }

    private static Map<String, Type> fields(String... names) {
        Map<String, Type> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, Type.STRING);
        }
        return out;
    }

    /** The type of a name or member chain such as {@code inputs.tag}; {@code interpolated} when it sits alone in {@code ${...}}. */
    Type resolve(Expr e, Scope s, boolean interpolated) {
        List<String> names = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        Expr cur = e;
        while (cur instanceof Expr.Member member) {
            names.add(member.name().name());
            spans.add(member.name().span());
            cur = member.target();
        }
        Expr.Ref root = (Expr.Ref) cur;
        names.add(root.name());
        spans.add(root.span());
        java.util.Collections.reverse(names);
        java.util.Collections.reverse(spans);
        Path p = new Path(names, spans);
        return switch (root.name()) {
            case "git" -> {
                gitUnavailable(p.whole(), p.upTo(p.size() - 1));
                yield fields(p, GIT);
            }
            case "run" -> fields(p, RUN);
            case "event" -> leaf(p, 1, Type.STRING);
            case "inputs" -> input(p);
            case "vars" -> var(p, s);
            case "secrets" -> secret(p, s);
            case "env" -> group(p, "env.HOME") ? Type.ANY : leaf(p, 2, Type.STRING);
            case "matrix" -> matrix(p, s);
            case "stages" -> outputs.stage(p, s);
            case "steps" -> outputs.step(p, s);
            case "version" -> deployOnly(p, s) ? leaf(p, 1, Type.STRING) : Type.ANY;
            case "previous" -> deployOnly(p, s) ? fields(p, PREVIOUS) : Type.ANY;
            default -> bare(p, interpolated);
        };
    }

    /** The parts of a dotted name and where each is written. */
    record Path(List<String> names, List<Span> spans) {
        int size() {
            return names.size();
        }

        String name(int i) {
            return names.get(i);
        }

        Span span(int i) {
            return spans.get(i);
        }

        /** {@code a.b.c} up to and including part {@code i}. */
        String upTo(int i) {
            return String.join(".", names.subList(0, i + 1));
        }

        Span whole() {
            return spans.get(0).to(spans.get(spans.size() - 1));
        }
    }

    /** Reports a root used without a field ({@code git} alone); true when it was. */
    boolean group(Path p, String example) {
        if (p.size() > 1) {
            return false;
        }
        r.add(Code.TYPE_MISMATCH, p.span(0), "`" + p.name(0) + "` is a group of values, not a value: name one, such as `"
                + example + "`");
        return true;
    }

    /** A value without fields: anything written after it is unknown. */
    Type leaf(Path p, int length, Type type) {
        if (p.size() > length) {
            r.add(Code.UNKNOWN_REFERENCE, p.span(length), p.upTo(length))
                    .hint("`" + p.upTo(length - 1) + "` is " + type.article() + " and has no fields");
        }
        return type;
    }

    Report.Entry unknown(Path p, int i, Iterable<String> candidates) {
        return r.add(Code.UNKNOWN_REFERENCE, p.span(i), p.upTo(i)).hint(Suggest.didYouMean(p.name(i), candidates));
    }

    private Type fields(Path p, Map<String, Type> fields) {
        if (group(p, p.name(0) + "." + fields.keySet().iterator().next())) {
            return Type.ANY;
        }
        Type t = fields.get(p.name(1));
        if (t == null) {
            Report.Entry e = unknown(p, 1, fields.keySet());
            if (Suggest.closest(p.name(1), fields.keySet()) == null) {
                e.hint("`" + p.name(0) + "` has " + Suggest.list(fields.keySet()));
            }
            return Type.ANY;
        }
        return leaf(p, 2, t);
    }

    private Type input(Path p) {
        if (group(p, "inputs.NAME")) {
            return Type.ANY;
        }
        Trigger.InputDecl in = m.inputs.get(p.name(1));
        if (in == null) {
            Report.Entry e = unknown(p, 1, m.inputs.keySet());
            if (m.inputs.isEmpty()) {
                e.hint("declare it: `on manual { input " + p.name(1) + ": string }`");
            } else if (Suggest.closest(p.name(1), m.inputs.keySet()) == null) {
                e.hint("the inputs are " + Suggest.list(m.inputs.keySet()));
            }
            return Type.ANY;
        }
        Type t = Type.of(in.type().kind());
        return leaf(p, 2, t);
    }

    private Type var(Path p, Scope s) {
        if (group(p, "vars.NAME")) {
            return Type.ANY;
        }
        String name = p.name(1);
        if (s.varsEnv() != null) {
            Program.Assignment a = m.varsOf(s.varsEnv()).get(name);
            if (a != null) {
                return leaf(p, 2, m.quiet.infer(a.value(), Scope.pipeline(Scope.Place.VARS, null)));
            }
        }
        if (m.vars.containsKey(name)) {
            return leaf(p, 2, varType(name));
        }
        Set<String> candidates = new LinkedHashSet<>(m.vars.keySet());
        if (s.varsEnv() != null) {
            candidates.addAll(m.varsOf(s.varsEnv()).keySet());
        }
        Report.Entry e = unknown(p, 1, candidates);
        boolean close = Suggest.closest(name, candidates) != null;
        for (Environment env : m.environments.values()) {
            if (env != s.varsEnv() && m.varsOf(env).containsKey(name)) {
                e.hint("`" + name + "` is a var of environment `" + env.name().name()
                        + "`; only stages that `deploy to " + env.name().name() + "` see it");
                return Type.ANY;
            }
        }
        if (!close && !candidates.isEmpty()) {
            e.hint("the vars here are " + Suggest.list(candidates));
        }
        return Type.ANY;
    }

    /** The type of a pipeline var, inferred once; a var met again while inferring itself is part of a cycle. */
    Type varType(String name) {
        Type known = m.varTypes.get(name);
        if (known != null) {
            return known;
        }
        if (!m.varsInProgress.add(name)) {
            return Type.ANY;
        }
        Type t = m.quiet.infer(m.vars.get(name).value(), Scope.pipeline(Scope.Place.VARS, null));
        m.varsInProgress.remove(name);
        m.varTypes.put(name, t);
        return t;
    }

    private Type secret(Path p, Scope s) {
        if (group(p, "secrets.NAME")) {
            return Type.ANY;
        }
        String name = p.name(1);
        Span span = p.span(0).to(p.span(1));
        if (s.place() == Scope.Place.CONDITION) {
            r.add(Code.SECRET_IN_CONDITION, span, name)
                    .hint("a condition is shown in plans and logs; test the secret inside a step instead");
            return leaf(p, 2, Type.STRING);
        }
        if (!s.place().secretsAllowed()) {
            r.add(Code.SECRET_IN_OUTPUT, span, name, s.place().label())
                    .hint("pass secrets only as step arguments or in `env { ... }` blocks");
            return leaf(p, 2, Type.STRING);
        }
        Environment env = s.stage() == null ? null : s.stage().environment();
        boolean visible = m.secrets.contains(name) || (env != null && m.secretsOf(env).contains(name));
        if (!visible) {
            Set<String> candidates = new LinkedHashSet<>(m.secrets);
            if (env != null) {
                candidates.addAll(m.secretsOf(env));
            }
            String close = Suggest.didYouMean(name, candidates);
            Report.Entry e = r.add(Code.UNKNOWN_SECRET, p.span(1), name, s.stage() != null ? "stage" : "hook").hint(close);
            Environment owner = null;
            for (Environment other : m.environments.values()) {
                if (m.secretsOf(other).contains(name)) {
                    owner = other;
                    break;
                }
            }
            if (owner != null && s.stage() != null) {
                e.hint("`" + name + "` belongs to environment `" + owner.name().name() + "`; only stages that `deploy to "
                        + owner.name().name() + "` can use it");
            } else if (owner != null) {
                e.hint("`" + name + "` belongs to environment `" + owner.name().name()
                        + "`; hooks see only the pipeline's own `secrets [...]`");
            } else if (close == null) {
                e.hint("declare it with `secrets [" + name + "]` at the top of the file"
                        + (env != null ? " or in environment `" + env.name().name() + "`" : ""));
            }
        }
        return leaf(p, 2, Type.STRING);
    }

    private Type matrix(Path p, Scope s) {
        if (group(p, "matrix.AXIS")) {
            return Type.ANY;
        }
        String axis = p.name(1);
        if (s.stage() == null) {
            r.add(Code.UNDEFINED_MATRIX_AXIS, p.span(1), axis, s.where())
                    .hint("matrix values exist only inside a stage that has a `matrix`");
            return Type.ANY;
        }
        Map<String, Type> axes = s.stage().matrix();
        if (axes == null) {
            r.add(Code.UNDEFINED_MATRIX_AXIS, p.span(1), axis, s.where())
                    .hint("stage `" + s.stage().name() + "` has no matrix; add one: `matrix { " + axis + " [\"a\", \"b\"] }`");
            return Type.ANY;
        }
        Type t = axes.get(axis);
        if (t == null) {
            r.add(Code.UNDEFINED_MATRIX_AXIS, p.span(1), axis, s.where())
                    .hint(Suggest.didYouMean(axis, axes.keySet()))
                    .hint(axes.isEmpty() ? null : "its axes are " + Suggest.list(axes.keySet()));
            return Type.ANY;
        }
        return leaf(p, 2, t);
    }

    /** W610 when the file is not in a git repository: the value can only come from options such as --sha. */
    void gitUnavailable(Span span, String shown) {
        if (m.options != null && m.options.gitUnavailable() != null) {
            r.add(Code.GIT_UNAVAILABLE, span, shown, m.options.gitUnavailable())
                    .hint("`pipe plan` and `pipe run` take the event and commit from options here (--branch, --tag, --sha, --changed)");
        }
    }

    private boolean deployOnly(Path p, Scope s) {
        if (s.deploys()) {
            return true;
        }
        r.add(Code.UNKNOWN_REFERENCE, p.span(0), p.name(0)).hint("`" + p.name(0)
                + "` exists only in a stage that deploys: `deploy to ENV version ...`");
        return false;
    }

    private Type bare(Path p, boolean interpolated) {
        String name = p.name(0);
        if (m.vars.containsKey(name)) {
            return leaf(p, 1, varType(name));
        }
        if (Model.EVENTS.contains(name)) {
            return leaf(p, 1, Type.STRING);
        }
        if (Exprs.FUNCTIONS.contains(name)) {
            r.add(Code.TYPE_MISMATCH, p.span(0), "`" + name + "` is a function: call it, as in " + name
                    + (name.equals("changed") ? "(\"src/**\")" : "(a, b)"));
            return Type.ANY;
        }
        Report.Entry e = r.add(Code.UNKNOWN_REFERENCE, p.span(0), name);
        for (Map.Entry<String, Map<String, Type>> root : List.of(Map.entry("git", GIT), Map.entry("run", RUN))) {
            if (root.getValue().containsKey(name)) {
                e.hint("did you mean `" + root.getKey() + "." + name + "`?");
            }
        }
        List<String> candidates = new ArrayList<>(m.vars.keySet());
        candidates.addAll(ROOTS);
        candidates.addAll(Model.EVENTS);
        candidates.addAll(Exprs.FUNCTIONS.stream().sorted().toList());
        if (!GIT.containsKey(name) && !RUN.containsKey(name)) {
            e.hint(Suggest.didYouMean(name, candidates));
        }
        if (interpolated && p.size() == 1) {
            e.hint("write \\${" + name + "} to pass it to the shell");
        }
        return Type.ANY;
    }
}
