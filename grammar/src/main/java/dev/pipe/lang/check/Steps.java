package dev.pipe.lang.check;

import dev.pipe.lang.diag.Suggest;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.StepItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Steps and their calls: the function must be in the step catalogue (or come from an imported
 * module), every argument must be a parameter of the right type, and required ones must be given.
 */
final class Steps {
    private final Model m;
    private final Report r;
    private final Exprs exprs;

    Steps(Model model, Exprs exprs) {
        this.m = model;
        this.r = model.report;
        this.exprs = exprs;
    }

    /** The items of a rollback, finally or hook block; each sees the named steps before it. */
    void block(Block block, Scope scope, Map<String, StepFacts> all, StepFacts.Section section) {
        if (block == null) {
            return;
        }
        List<StepItem> items = block.items();
        for (int i = 0; i < items.size(); i++) {
            item(items.get(i), scope.withSteps(new Scope.StepView(all, section, i)));
        }
    }

    /** One step or bare call; {@code scope} carries the steps visible to it. */
    void item(StepItem item, Scope scope) {
        switch (item) {
            case StepItem.StepCall call -> call(call, scope.at(Scope.Place.STEP_ARGUMENT));
            case StepItem.Step step -> {
                call(step.call(), scope.at(Scope.Place.STEP_ARGUMENT));
                Values.count(r, step.retry(), "`retry`");
                Values.duration(r, step.backoff());
                if (step.backoff() != null && Values.zero(step.retry())) {
                    r.add(Code.UNUSED_VALUE, step.backoff().span(), "`backoff` has no effect with `retry 0`")
                            .hint("remove it, or retry at least once");
                }
                Values.positive(r, step.timeout(), "a timeout");
                env(step.env(), scope);
                if (step.when() != null) {
                    exprs.condition(step.when(), scope);
                }
            }
        }
    }

    /** The values of an env block: strings, numbers or bools, secrets allowed. */
    void env(List<Program.Assignment> env, Scope scope) {
        if (env == null) {
            return;
        }
        for (Program.Assignment a : env) {
            Type t = exprs.infer(a.value(), scope.at(Scope.Place.ENV));
            if (t == Type.LIST) {
                r.add(Code.TYPE_MISMATCH, a.value().span(), "an environment variable holds text, not a list")
                        .hint("join the values into one string");
            }
        }
    }

    /** Checks a call against its signature; returns the signature, or null when unknown. */
    StepSignature call(StepItem.StepCall call, Scope scope) {
        String fn = call.function().name();
        StepCatalog catalog = m.options == null ? null : m.options.steps();
        List<StepSignature> moduleSteps = m.moduleStepsOf(fn);
        Optional<StepSignature> found = moduleSteps != null ? moduleSteps.stream().filter(s -> s.name().equals(fn)).findFirst()
                : catalog == null || m.fromModule(fn) ? Optional.empty() : catalog.find(fn);
        if (found.isEmpty()) {
            if (moduleSteps != null) {
                String module = fn.substring(0, fn.indexOf('.'));
                List<String> names = moduleSteps.stream().map(StepSignature::name).sorted().toList();
                r.add(Code.UNKNOWN_STEP_FUNCTION, call.function().span(), fn)
                        .hint(Suggest.didYouMean(fn, names))
                        .hint("module `" + module + "` declares " + Suggest.list(names, names.size()));
            } else if (catalog != null && !m.fromModule(fn)) {
                List<String> names = catalog.all().stream().map(StepSignature::name).sorted().toList();
                r.add(Code.UNKNOWN_STEP_FUNCTION, call.function().span(), fn)
                        .hint(Suggest.didYouMean(fn, names))
                        .hint(fn.contains(".") && !m.modules.isEmpty() ? null : "built-in steps are " + Suggest.list(names, names.size()));
            }
            if (call.positional() != null) {
                exprs.infer(call.positional(), scope);
            }
            for (StepItem.NamedArg arg : call.args()) {
                exprs.infer(arg.value(), scope);
            }
            return null;
        }
        StepSignature sig = found.get();
        Map<String, Span> given = new HashMap<>();
        String guessed = null;
        if (call.positional() != null) {
            Optional<StepSignature.Param> positional = sig.positional();
            if (positional.isEmpty()) {
                String example = sig.params().stream().filter(StepSignature.Param::required).findFirst()
                        .or(() -> sig.params().stream().findFirst()).map(StepSignature.Param::name).orElse("name");
                guessed = example;
                List<String> path = Expr.path(call.positional());
                String next = path == null ? null : String.join(".", path);
                boolean anotherStep = next != null && catalog != null && catalog.find(next).isPresent();
                r.add(Code.NO_POSITIONAL_ARGUMENT, call.positional().span(), fn, example)
                        .hint(anotherStep ? "to call `" + next + "` as a step of its own, start it on a new line"
                                : sig.params().isEmpty() ? "`" + fn + "` takes no arguments"
                                : "`" + fn + "` takes " + Suggest.list(sig.params().stream().map(StepSignature.Param::name).toList()));
                if (!anotherStep) {
                    exprs.infer(call.positional(), scope);
                }
            } else {
                given.put(positional.get().name(), call.positional().span());
                argument(sig, positional.get(), call.positional(), scope);
            }
        }
        for (StepItem.NamedArg arg : call.args()) {
            String name = arg.name().name();
            Optional<StepSignature.Param> param = sig.param(name);
            if (param.isEmpty()) {
                List<String> names = sig.params().stream().map(StepSignature.Param::name).toList();
                r.add(Code.UNKNOWN_ARGUMENT, arg.name().span(), fn, name)
                        .hint(Suggest.didYouMean(name, names))
                        .hint(names.isEmpty() ? "`" + fn + "` takes no arguments" : "`" + fn + "` takes " + Suggest.list(names));
                exprs.infer(arg.value(), scope);
                continue;
            }
            Span first = given.putIfAbsent(name, arg.name().span());
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, arg.name().span(), "argument", name, "given")
                        .hint(param.get().positional() && first.start() < arg.name().span().start()
                                ? "it is already given without a name, right after `" + fn + "`" : "give it once");
            }
            argument(sig, param.get(), arg.value(), scope);
        }
        for (StepSignature.Param p : sig.params()) {
            // An unnamed argument was most likely meant for the parameter E305 suggested.
            if (p.required() && !given.containsKey(p.name()) && !p.name().equals(guessed)) {
                r.add(Code.MISSING_ARGUMENT, call.function().span(), fn, p.name())
                        .hint(p.positional() ? "write it right after the step name, as in `" + fn + " " + example(p) + "`"
                                : "add `" + p.name() + ": " + example(p) + "`");
            }
        }
        return sig;
    }

    private void argument(StepSignature sig, StepSignature.Param p, Expr value, Scope scope) {
        Type t = exprs.infer(value, scope);
        if (!p.type().accepts(t)) {
            r.add(Code.WRONG_ARGUMENT_TYPE, value.span(), p.name(), sig.name(), p.type().article(), t.article())
                    .hint(p.type() == Type.DURATION && t == Type.STRING ? "write durations without quotes, as in 10m"
                            : p.type() == Type.NUMBER && t == Type.STRING ? "write numbers without quotes" : null);
        }
    }

    private static String example(StepSignature.Param p) {
        return switch (p.type()) {
            case STRING, ANY -> "\"...\"";
            case BOOL -> "true";
            case NUMBER -> "1";
            case DURATION -> "30s";
            case LIST -> "[\"...\"]";
        };
    }
}
