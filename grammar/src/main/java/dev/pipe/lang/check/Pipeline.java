package dev.pipe.lang.check;

import dev.pipe.lang.diag.Suggest;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Trigger;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pipeline-level settings: triggers and their inputs, vars, and environments with their governance. */
final class Pipeline {
    private final Model m;
    private final Report r;
    private final Exprs exprs;

    Pipeline(Model model, Exprs exprs) {
        this.m = model;
        this.r = model.report;
        this.exprs = exprs;
    }

    void check() {
        for (Trigger t : m.program.triggers()) {
            trigger(t);
        }
        Program.Vars vars = m.program.vars();
        if (vars != null) {
            for (Program.Assignment a : vars.entries()) {
                exprs.infer(a.value(), Scope.pipeline(Scope.Place.VARS, null));
            }
            varCycles(vars.entries());
        }
        for (Environment env : m.program.environments()) {
            environment(env);
        }
    }

    private void trigger(Trigger t) {
        switch (t) {
            case Trigger.Push p -> filters(p.filters());
            case Trigger.PullRequest p -> filters(p.filters());
            case Trigger.Schedule s -> {
                Values.cron(r, s.cron());
                if (s.tz() != null) {
                    Values.zone(r, s.tz());
                }
            }
            case Trigger.Manual man -> {
                for (Trigger.InputDecl in : man.inputs()) {
                    input(in);
                }
            }
        }
    }

    private void filters(List<Trigger.Filter> filters) {
        for (Trigger.Filter f : filters) {
            if (f.patterns().isEmpty()) {
                r.add(Code.INVALID_VALUE, f.span(), "`" + f.kind().keyword() + " []` matches nothing, so this trigger never fires")
                        .hint("list at least one pattern, or remove the filter to match everything");
            }
            for (Expr.Str pattern : f.patterns()) {
                Values.constant(r, pattern, "a " + f.kind().keyword() + " pattern");
            }
        }
    }

    private void input(Trigger.InputDecl in) {
        if (in.type().kind() == Trigger.InputKind.LIST) {
            r.add(Code.INVALID_VALUE, in.type().span(), "input `" + in.name().name() + "` cannot be a list: inputs are typed on the command line")
                    .hint("take a string and split it in the step, or use `choice(...)`");
            return;
        }
        List<String> choices = new ArrayList<>();
        for (Expr.Str c : in.type().choices()) {
            String text = Values.constant(r, c, "a choice");
            if (text != null) {
                choices.add(text);
            }
        }
        if (in.defaultValue() == null) {
            return;
        }
        Type want = Type.of(in.type().kind());
        Type t = exprs.infer(in.defaultValue(), Scope.pipeline(Scope.Place.INPUT_DEFAULT, null));
        String name = in.name().name();
        if (!want.accepts(t)) {
            r.add(Code.TYPE_MISMATCH, in.defaultValue().span(), "the default of input `" + name + "` must be "
                    + want.article() + ", not " + t.article())
                    .hint(want == Type.STRING && t != Type.LIST ? "put it in quotes" : null);
            return;
        }
        if (in.type().kind() == Trigger.InputKind.CHOICE && in.defaultValue() instanceof Expr.Str str && str.isConstant()
                && !choices.contains(str.constantText())) {
            r.add(Code.INVALID_VALUE, str.span(), "the default `" + str.constantText() + "` of input `" + name
                    + "` is not one of its choices: " + Suggest.list(choices))
                    .hint(Suggest.didYouMean(str.constantText(), choices));
        }
    }

    /** Vars may refer to each other in any order, but not in a circle. */
    private void varCycles(List<Program.Assignment> entries) {
        List<String> names = new ArrayList<>(m.vars.keySet());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        int[][] edges = new int[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            String self = names.get(i);
            Set<Integer> targets = new LinkedHashSet<>();
            boolean[] selfRef = {false};
            Walk.paths(m.vars.get(self).value(), path -> {
                String target = varOf(path);
                Integer j = target == null ? null : index.get(target);
                if (j != null && j.equals(index.get(self))) {
                    selfRef[0] = true;
                } else if (j != null) {
                    targets.add(j);
                }
            });
            edges[i] = targets.stream().mapToInt(Integer::intValue).toArray();
            if (selfRef[0]) {
                r.add(Code.VAR_CYCLE, m.vars.get(self).name().span(), self + " → " + self)
                        .hint("a var cannot be defined in terms of itself");
            }
        }
        Graph graph = new Graph(edges);
        for (int[] component : graph.cycles()) {
            List<Integer> path = graph.cycleThrough(component[0], component);
            List<String> shown = path.stream().map(names::get).toList();
            r.add(Code.VAR_CYCLE, m.vars.get(shown.get(0)).name().span(), String.join(" → ", shown))
                    .hint("give one of them a value that does not depend on the others");
        }
    }

    /** The pipeline var a path reads, following the same rules as {@link Refs}. */
    private String varOf(List<String> path) {
        if (path.size() >= 2 && path.get(0).equals("vars")) {
            return path.get(1);
        }
        String root = path.get(0);
        return Refs.ROOTS.contains(root) ? null : root;
    }

    private void environment(Environment env) {
        if (env.url() != null) {
            exprs.expect(env.url(), Scope.pipeline(Scope.Place.URL, env), Type.STRING, "a url");
        }
        if (env.vars() != null) {
            for (Program.Assignment a : env.vars().entries()) {
                exprs.infer(a.value(), Scope.pipeline(Scope.Place.VARS, null));
            }
        }
        if (env.approval() != null) {
            approval(env.approval());
        }
        if (env.window() != null) {
            Environment.Window w = env.window();
            Values.window(r, w.spec());
            if (w.tz() != null) {
                Values.zone(r, w.tz());
            }
            if (w.freeze() != null) {
                for (Environment.Freeze f : w.freeze()) {
                    Values.freeze(r, f.from(), f.to(), f.span());
                }
            }
        }
    }

    private void approval(Environment.Approval a) {
        Set<String> approvers = new LinkedHashSet<>();
        if (a.approvers() == null) {
            r.add(Code.INVALID_VALUE, a.span(), "this approval lists no approvers, so nobody could approve")
                    .hint("add `approvers [\"alice\", \"bob\"]`");
        } else {
            for (Expr.Str s : a.approvers()) {
                String name = Values.constant(r, s, "an approver");
                if (name != null && !approvers.add(name)) {
                    r.add(Code.DUPLICATE_NAME, s.span(), "approver", name, "listed").hint("remove the second one");
                }
            }
            if (a.approvers().isEmpty()) {
                r.add(Code.INVALID_VALUE, a.approversSpan(), "the approver list is empty, so nobody could approve")
                        .hint("list who may approve, as in `approvers [\"alice\", \"bob\"]`");
            }
        }
        if (a.required() != null) {
            Expr.Num required = a.required();
            if (!Values.whole(required) || required.value().compareTo(BigDecimal.ONE) < 0) {
                r.add(Code.INVALID_VALUE, required.span(), "`required` must be a whole number of at least 1, not "
                        + required.text());
            } else if (!approvers.isEmpty() && required.value().compareTo(BigDecimal.valueOf(approvers.size())) > 0) {
                r.add(Code.REQUIRED_EXCEEDS_APPROVERS, required.span(), required.text(), approvers.size(),
                                approvers.size() == 1 ? "" : "s")
                        .hint("lower `required` to at most " + approvers.size() + ", or add approvers");
            }
        }
        if (a.expires() != null) {
            Values.positive(r, a.expires(), "an expiry");
        }
    }
}
