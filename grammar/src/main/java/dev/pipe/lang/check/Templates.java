package dev.pipe.lang.check;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.diag.Suggest;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Template;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Modules and templates: reads the {@code .pipe} modules a file imports (and theirs, once each,
 * refusing cycles), checks what a module may hold and how its templates are declared, then
 * expands every {@code stage NAME from TEMPLATE} and {@code use TEMPLATE} so that the rest of the
 * checker, the planner and the engine only ever see ordinary stages and steps.
 *
 * <p>A template's body is copied once per use, with {@code params.NAME} replaced by the argument
 * (or the default) and its spans moved into a range of its own (see {@link Regions}); the copy is
 * then checked like any stage, so a mistake inside a template is found for the use that makes it
 * a mistake, and reported in the module's file with a note of that use. Argument types are
 * checked later, by {@link #checkArguments}, when the checker knows the stage they are written in.
 */
final class Templates {
    private static final String PARAMS = "params";
    /**
     * Most template copies one file may make. Templates that each use the next twice double at
     * every level, so a short file could otherwise ask for billions of copies.
     */
    static final int MAX_EXPANSIONS = 10_000;

    /** A file whose templates can be used: the pipeline itself or a module it imports. */
    private static final class Module {
        final SourceFile source;
        final Program program;
        /** Alias → module; a null value is an import that failed, already reported. */
        final Map<String, Module> imports = new LinkedHashMap<>();
        /** Aliases of imports that are not {@code .pipe} modules, such as JavaScript step modules. */
        final Set<String> scripts = new HashSet<>();
        final Map<String, Template> templates = new LinkedHashMap<>();

        Module(SourceFile source, Program program) {
            this.source = source;
            this.program = program;
        }
    }

    private record Resolved(Module module, Template template, String name) {
    }

    /** An argument whose type is checked once the stage it is written in is known. */
    record ArgCheck(String stage, StepItem.NamedArg arg, Template.Param param, String template) {
    }

    private final CheckOptions options;
    private final Report report;
    private final Regions regions;
    private final List<Diagnostic> moduleDiagnostics = new ArrayList<>();
    private final Map<String, Module> loaded = new HashMap<>();
    private final List<ArgCheck> argChecks = new ArrayList<>();
    /** Stand-ins for missing arguments: findings at these places repeat the missing-argument error. */
    private final List<Span> placeholders = new ArrayList<>();
    private final Deque<Template> expanding = new ArrayDeque<>();
    /** True while a module's templates are checked on their own, with stand-in arguments. */
    private boolean alone;
    private int expansions;
    /**
     * The argument each value was written as. A template passing its own parameter on to another
     * ({@code use check { test: params.test }}) hands on the very expression the user wrote, so
     * mistakes in it are told in terms of the argument the user gave, once.
     */
    private final Map<Expr, Origin> origins = new java.util.IdentityHashMap<>();

    private record Origin(String param, String template) {
    }

    Templates(CheckOptions options, Report report, Regions regions) {
        this.options = options;
        this.report = report;
        this.regions = regions;
    }

    /** Whether a file is a module rather than a pipeline: no {@code pipeline NAME}, and templates. */
    static boolean isModule(Program program) {
        return program.isModule();
    }

    List<Diagnostic> moduleDiagnostics() {
        return moduleDiagnostics;
    }

    List<ArgCheck> argChecks() {
        return argChecks;
    }

    boolean isPlaceholder(Span span) {
        for (Span p : placeholders) {
            if (p.samePosition(span)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a module file on its own: what it holds, its imports and its templates' declarations.
     *
     * @return a stand-in pipeline with one stage per template, made with stand-in arguments, for
     *     the checker to find what is wrong in a template whatever the pipeline that uses it (see
     *     {@link #intrinsic}); null when the module has no templates
     */
    Program module(ParseResult parsed) {
        Module root = new Module(parsed.source(), parsed.program());
        loaded.put(Names.normalize(parsed.source().path()), root);
        items(root, report);
        List<String> stack = new ArrayList<>(List.of(Names.normalize(parsed.source().path())));
        link(root, report, stack, true);
        declare(root, report);
        alone = true;
        List<Stage> stages = new ArrayList<>();
        for (Template t : root.templates.values()) {
            Span at = t.name().span();
            List<StepItem.NamedArg> args = new ArrayList<>();
            for (Template.Param p : t.params()) {
                args.add(new StepItem.NamedArg(p.name(), standIn(p, at), at));
            }
            placeholders.add(at);
            Ident name = new Ident(t.name().name(), at);
            Stage stage = t.kind() == Template.Kind.STAGE
                    ? new Stage(name, new Stage.From(name, args, at), null, null, null, null, null, List.of(), null, null,
                            null, null, List.of(), null, null, null, List.of(), List.of(), at)
                    : new Stage(name, null, null, null, null, null, null, List.of(), null, null, null, null, List.of(), null,
                            null, null, List.of(), List.of(new Stage.Use(name, args, 0, at)), at);
            stages.add(stage(stage, root));
        }
        if (stages.isEmpty()) {
            return null;
        }
        Program p = root.program;
        return new Program(new Ident("module", Span.NONE), p.imports(), List.of(), List.of(), null, null, List.of(), stages,
                List.of(), p.span());
    }

    /** A value of a parameter's type, standing in for an argument when a template is checked on its own. */
    private static Expr standIn(Template.Param p, Span at) {
        return switch (p.type().kind()) {
            case STRING -> new Expr.Str(List.of(), false, at);
            case CHOICE -> p.type().choices().isEmpty() ? new Expr.Str(List.of(), false, at)
                    : new Expr.Str(p.type().choices().getFirst().parts(), false, at);
            case BOOL -> new Expr.Bool(false, at);
            case NUMBER -> new Expr.Num("1", at);
            case DURATION -> new Expr.Dur("1s", at);
            case LIST -> new Expr.ListLit(List.of(), at);
        };
    }

    /**
     * Whether a finding in a template checked on its own is wrong whatever pipeline uses it: types,
     * step calls, values, names repeated inside it, templates it uses. A var, secret, input,
     * environment, stage or matrix it reads may well be declared by the pipeline, so those are
     * left to the check of each use.
     */
    static boolean intrinsic(Code code) {
        String id = code.id();
        return code == Code.DUPLICATE_STEP || code == Code.DUPLICATE_NAME || code == Code.UNKNOWN_OUTPUT_STEP
                || code == Code.STEP_NOT_RUN_YET || id.startsWith("E2") || id.startsWith("E3") || id.startsWith("E4")
                || id.startsWith("E53") || id.equals("E540");
    }

    /** The pipeline with every template expanded. */
    Program expand(ParseResult parsed) {
        Module main = new Module(parsed.source(), parsed.program());
        // Modules are known by the path the resolver gives them, normalized; so is the file itself,
        // so that a module importing it back is a cycle rather than a second reading.
        loaded.put(Names.normalize(parsed.source().path()), main);
        List<String> stack = new ArrayList<>(List.of(Names.normalize(parsed.source().path())));
        link(main, report, stack, false);
        declare(main, report);
        boolean any = !main.program.templates().isEmpty()
                || main.program.stages().stream().anyMatch(s -> s.from() != null || !s.uses().isEmpty());
        if (!any) {
            return main.program;
        }
        List<Stage> stages = new ArrayList<>();
        for (Stage s : main.program.stages()) {
            stages.add(stage(s, main));
        }
        return main.program.withStages(stages);
    }

    // ------------------------------------------------------------ loading modules

    private void link(Module m, Report r, List<String> stack, boolean reportMissing) {
        for (Program.Import i : m.program.imports()) {
            String alias = Model.moduleName(i);
            if (!i.path().isConstant() || alias == null) {
                if (reportMissing) {
                    Values.constant(r, i.path(), "an import path");
                }
                continue;
            }
            String path = i.path().constantText();
            if (!path.startsWith("std/") && !path.endsWith(".pipe")) {
                m.scripts.add(alias);
                continue;
            }
            SourceFile file = options == null || options.imports() == null ? null : options.imports().load(m.source, path);
            if (file == null) {
                m.imports.put(alias, null);
                boolean exists = options != null && options.imports() != null && options.imports().exists(m.source, path);
                if (exists) {
                    r.add(Code.IMPORT_NOT_FOUND, i.path().span(), path).hint("the file is there but cannot be read as UTF-8 text");
                } else if (reportMissing) {
                    r.add(Code.IMPORT_NOT_FOUND, i.path().span(), path)
                            .hint(path.startsWith("std/") ? "looked among pipe's built-in modules for `" + path + ".pipe`"
                                    : "paths are relative to the folder of this file");
                }
                continue;
            }
            int at = stack.indexOf(file.path());
            if (at >= 0) {
                List<String> cycle = new ArrayList<>(stack.subList(at, stack.size()));
                cycle.add(file.path());
                r.add(Code.MODULE_CYCLE, i.path().span(), String.join(" → ", cycle))
                        .hint("a module cannot use templates of a module that uses its own; move the shared templates into a third module");
                m.imports.put(alias, null);
                continue;
            }
            Module dep = loaded.get(file.path());
            if (dep == null) {
                dep = load(file, stack);
            }
            m.imports.put(alias, dep.program == null ? null : dep);
        }
    }

    private Module load(SourceFile file, List<String> stack) {
        ParseResult parsed = SourceParser.parse(file);
        moduleDiagnostics.addAll(parsed.diagnostics());
        Module dep = new Module(file, parsed.program());
        loaded.put(file.path(), dep);
        if (parsed.program() == null) {
            return dep;
        }
        Report r = new Report(file, false);
        items(dep, r);
        stack.add(file.path());
        link(dep, r, stack, true);
        stack.removeLast();
        declare(dep, r);
        moduleDiagnostics.addAll(r.diagnostics());
        return dep;
    }

    /** A module holds imports and templates only: anything else would be silently ignored. */
    private static void items(Module m, Report r) {
        Program p = m.program;
        if (p.name() != null) {
            r.add(Code.NOT_IN_MODULE, p.name().span(), "`pipeline " + p.name().name() + "`")
                    .hint("remove it; a module is named by the path it is imported from");
        }
        for (Trigger t : p.triggers()) {
            r.add(Code.NOT_IN_MODULE, t.span(), "a trigger").hint("triggers belong in the pipeline that imports the module");
        }
        if (p.secrets() != null) {
            r.add(Code.NOT_IN_MODULE, p.secrets().span(), "`secrets`").hint("declare secrets in the pipeline");
        }
        if (p.vars() != null) {
            r.add(Code.NOT_IN_MODULE, p.vars().span(), "`vars`").hint("make it a template parameter with a default instead");
        }
        for (var e : p.environments()) {
            r.add(Code.NOT_IN_MODULE, e.name().span(), "environment `" + e.name().name() + "`")
                    .hint("declare environments in the pipeline; a template can take one as a parameter");
        }
        for (Stage s : p.stages()) {
            r.add(Code.NOT_IN_MODULE, s.name().span(), "stage `" + s.name().name() + "`")
                    .hint("make it a template: `template stage " + s.name().name() + " { ... }`");
        }
        for (Program.Hook h : p.hooks()) {
            r.add(Code.NOT_IN_MODULE, h.span(), "an `on " + h.kind().keyword() + "` hook").hint("hooks belong in the pipeline");
        }
    }

    /** Template declarations: names, parameters, defaults, and the {@code params.NAME} their bodies use. */
    private static void declare(Module m, Report r) {
        for (Template t : m.program.templates()) {
            Template first = m.templates.putIfAbsent(t.name().name(), t);
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, t.name().span(), "template", t.name().name(), "declared")
                        .hint("the first one is on line " + r.line(first.name().span()));
            }
            Map<String, Template.Param> params = new LinkedHashMap<>();
            for (Template.Param p : t.params()) {
                Template.Param seen = params.putIfAbsent(p.name().name(), p);
                if (seen != null) {
                    r.add(Code.DUPLICATE_NAME, p.name().span(), "parameter", p.name().name(), "declared")
                            .hint("the first one is on line " + r.line(seen.name().span()));
                }
                defaultValue(t, p, r);
            }
            walk(t.body(), node -> {
                String name = paramName(node);
                if (name == null) {
                    return;
                }
                Span at = node instanceof Stage.Deploy d ? d.environment().span() : ((Expr) node).span();
                Template.Param known = params.get(name);
                if (known != null && node instanceof Expr.Dur && known.type().kind() != Trigger.InputKind.DURATION) {
                    r.add(Code.TYPE_MISMATCH, at, "`params." + name + "` is " + Type.of(known.type().kind()).article()
                            + " parameter, so it cannot be a duration here").hint("declare it `param " + name + ": duration`");
                } else if (known == null) {
                    r.add(Code.UNKNOWN_PARAMETER, at, name, t.name().name())
                            .hint(params.isEmpty() ? "declare it: `param " + name + ": string`"
                                    : Suggest.didYouMean(name, params.keySet()))
                            .hint(params.isEmpty() ? null : "its parameters are " + Suggest.list(params.keySet()));
                }
            });
        }
    }

    private static void defaultValue(Template t, Template.Param p, Report r) {
        if (p.defaultValue() == null) {
            return;
        }
        Type want = Type.of(p.type().kind());
        Type got = Model.literalType(List.of(p.defaultValue()));
        if (!want.accepts(got)) {
            r.add(Code.TYPE_MISMATCH, p.defaultValue().span(), "the default of parameter `" + p.name().name() + "` must be "
                    + want.article() + ", not " + got.article()).hint(want == Type.STRING && got != Type.LIST ? "put it in quotes" : null);
            return;
        }
        if (p.type().kind() == Trigger.InputKind.CHOICE && p.defaultValue() instanceof Expr.Str s && s.isConstant()) {
            List<String> choices = choices(p);
            if (!choices.contains(s.constantText())) {
                r.add(Code.INVALID_VALUE, s.span(), "the default `" + s.constantText() + "` of parameter `" + p.name().name()
                        + "` is not one of its choices: " + Suggest.list(choices));
            }
        }
    }

    static List<String> choices(Template.Param p) {
        List<String> out = new ArrayList<>();
        for (Expr.Str c : p.type().choices()) {
            out.add(c.constantText());
        }
        return out;
    }

    /** The parameter a node names: {@code params.NAME} in an expression, or {@code deploy to params.NAME}. */
    private static String paramName(Object node) {
        if (node instanceof Expr.Member mem && mem.target() instanceof Expr.Ref ref && ref.name().equals(PARAMS)) {
            return mem.name().name();
        }
        if (node instanceof Stage.Deploy d && d.environment().name().startsWith(PARAMS + ".")) {
            return d.environment().name().substring(PARAMS.length() + 1);
        }
        if (node instanceof Expr.Dur d && d.text().startsWith(PARAMS + ".")) {
            return d.text().substring(PARAMS.length() + 1);
        }
        return null;
    }

    private static void walk(Object tree, java.util.function.Consumer<Object> visit) {
        new Rewrite(span -> span, node -> {
            visit.accept(node);
            return null;
        }).copy(tree);
    }

    // ------------------------------------------------------------ expansion

    private Stage stage(Stage s, Module in) {
        String stage = s.name().name();
        Stage own = withUses(s, in, stage);
        if (s.from() == null) {
            return own;
        }
        Ident at = s.from().template();
        Resolved t = resolve(at, in);
        if (t == null) {
            return own;
        }
        if (t.template().kind() != Template.Kind.STAGE) {
            report.add(Code.WRONG_TEMPLATE_KIND, at.span(), t.name(), "steps", "a stage cannot be made from it")
                    .hint("use its steps inside a stage: `use " + t.name() + " { ... }`");
            return own;
        }
        Stage body = instantiate(t, s.from().args(), at, stage);
        return body == null ? own : merge(body, own, t.name());
    }

    /** A stage with the steps of its {@code use}s spliced in where they were written. */
    private Stage withUses(Stage s, Module in, String stage) {
        if (s.uses().isEmpty()) {
            return s;
        }
        List<StepItem.Step> steps = new ArrayList<>();
        int next = 0;
        for (int i = 0; i <= s.steps().size(); i++) {
            while (next < s.uses().size() && s.uses().get(next).position() <= i) {
                steps.addAll(use(s.uses().get(next++), in, stage));
            }
            if (i < s.steps().size()) {
                steps.add(s.steps().get(i));
            }
        }
        return new Stage(s.name(), s.from(), s.needs(), s.when(), s.runner(), s.workdir(), s.matrix(), s.services(), s.env(),
                s.deploy(), s.timeout(), s.allowFailure(), steps, s.verify(), s.rollback(), s.finallyBlock(), s.outputs(),
                List.of(), s.span());
    }

    private List<StepItem.Step> use(Stage.Use u, Module in, String stage) {
        Resolved t = resolve(u.template(), in);
        if (t == null) {
            return List.of();
        }
        if (t.template().kind() != Template.Kind.STEPS) {
            report.add(Code.WRONG_TEMPLATE_KIND, u.template().span(), t.name(), "stage", "`use` cannot take steps from it")
                    .hint("make a stage from it: `stage NAME from " + t.name() + " { ... }`");
            return List.of();
        }
        Stage body = instantiate(t, u.args(), u.template(), stage);
        return body == null ? List.of() : body.steps();
    }

    private Resolved resolve(Ident name, Module in) {
        String written = name.name();
        int dot = written.indexOf('.');
        if (dot < 0) {
            Template t = in.templates.get(written);
            if (t == null) {
                String qualified = null;
                for (Map.Entry<String, Module> e : in.imports.entrySet()) {
                    if (qualified == null && e.getValue() != null && e.getValue().templates.containsKey(written)) {
                        qualified = e.getKey() + "." + written;
                    }
                }
                report.add(Code.UNKNOWN_TEMPLATE, name.span(), written)
                        .hint(qualified != null ? "did you mean `" + qualified + "`? a module's templates are named after the module"
                                : Suggest.didYouMean(written, in.templates.keySet()));
            }
            return t == null ? null : new Resolved(in, t, written);
        }
        String alias = written.substring(0, dot);
        String rest = written.substring(dot + 1);
        if (!in.imports.containsKey(alias)) {
            report.add(Code.UNKNOWN_TEMPLATE, name.span(), written)
                    .hint(in.scripts.contains(alias) ? "`" + alias + "` is a JavaScript step module; templates come from .pipe modules"
                            : in.imports.isEmpty() ? "import its module first, as in `import \"std/" + alias + "\"`"
                            : Suggest.didYouMean(alias, in.imports.keySet()));
            return null;
        }
        Module module = in.imports.get(alias);
        if (module == null) {
            return null;
        }
        Template t = module.templates.get(rest);
        if (t == null) {
            report.add(Code.UNKNOWN_TEMPLATE, name.span(), written)
                    .hint(Suggest.didYouMean(rest, module.templates.keySet()))
                    .hint(module.templates.isEmpty() ? "`" + module.source.path() + "` has no templates"
                            : "`" + alias + "` has " + Suggest.list(module.templates.keySet()));
            return null;
        }
        return new Resolved(module, t, written);
    }

    /** A copy of a template's body for one use, arguments in place; null when the template would use itself. */
    private Stage instantiate(Resolved t, List<StepItem.NamedArg> args, Ident at, String stage) {
        if (expanding.contains(t.template())) {
            report.add(Code.TEMPLATE_RECURSION, at.span(), t.template().name().name())
                    .hint("a template cannot use itself, directly or through other templates");
            return null;
        }
        if (++expansions > MAX_EXPANSIONS) {
            if (expansions == MAX_EXPANSIONS + 1) {
                report.add(Code.TOO_MANY_EXPANSIONS, at.span(), MAX_EXPANSIONS)
                        .hint("templates that use others several times multiply; use fewer levels of templates");
            }
            return null;
        }
        Regions.Region outer = regions.find(at.span().start());
        Regions.Region region = alone && outer == null
                ? regions.add(t.module().source, "template `" + t.name() + "`, checked on its own with stand-in arguments", null, null)
                : regions.add(t.module().source, "template `" + t.name() + "` used at " + regions.location(at.span().start()),
                        outer, stage);
        int base = region.base();
        Function<Span, Span> move = s -> new Span(s.start() + base, s.end() + base);
        Map<String, Expr> values = arguments(t, args, at, stage, move);
        Rewrite[] rewrite = new Rewrite[1];
        rewrite[0] = new Rewrite(move::apply, node -> {
            if (node instanceof Expr.Str str && str.parts().stream()
                    .anyMatch(p -> p instanceof Expr.StrPart.Interp i && paramName(i.expr()) != null)) {
                return splice(str, rewrite[0], move);
            }
            if (node instanceof Expr.Member mem && paramName(mem) != null) {
                Expr v = values.get(paramName(mem));
                // An unknown parameter is reported once, with the template's declarations.
                return v != null ? v : new Expr.Str(List.of(), false, move.apply(mem.span()));
            }
            if (node instanceof Expr.Dur d && paramName(d) != null) {
                return literal(d, values.get(paramName(d)), t, move);
            }
            if (node instanceof Stage.Deploy d && paramName(d) != null) {
                return new Stage.Deploy(environment(d, values.get(paramName(d)), t, move), rewrite[0].copy(d.version()),
                        move.apply(d.span()));
            }
            return null;
        });
        Stage body = rewrite[0].copy(t.template().body());
        expanding.push(t.template());
        try {
            return withUses(body, t.module(), stage);
        } finally {
            expanding.pop();
        }
    }

    /**
     * {@code "deploy ${params.env}"}: a string argument is spliced into the text, so that with a
     * constant argument the result is constant too, and may name a step or a stage's setting.
     */
    private static Expr.Str splice(Expr.Str str, Rewrite rewrite, Function<Span, Span> move) {
        List<Expr.StrPart> parts = new ArrayList<>();
        for (Expr.StrPart part : str.parts()) {
            if (part instanceof Expr.StrPart.Interp i && paramName(i.expr()) != null
                    && rewrite.copy(i.expr()) instanceof Expr.Str value) {
                value.parts().forEach(p -> append(parts, p));
            } else {
                append(parts, rewrite.copy(part));
            }
        }
        return new Expr.Str(parts, str.triple(), move.apply(str.span()));
    }

    private static void append(List<Expr.StrPart> parts, Expr.StrPart part) {
        if (part instanceof Expr.StrPart.Text t && !parts.isEmpty() && parts.getLast() instanceof Expr.StrPart.Text before) {
            parts.set(parts.size() - 1, new Expr.StrPart.Text(before.value() + t.value()));
        } else {
            parts.add(part);
        }
    }

    /** {@code deploy to params.NAME}: the environment must be known before the run, so a constant string. */
    private Ident environment(Stage.Deploy d, Expr value, Resolved t, Function<Span, Span> move) {
        String param = paramName(d);
        if (value instanceof Expr.Str s && s.isConstant()) {
            return new Ident(s.constantText(), s.span());
        }
        if (value != null && !isPlaceholder(value.span())) {
            Origin o = origin(value, param, t.name());
            report.add(Code.WRONG_TEMPLATE_ARGUMENT, value.span(), o.param(), o.template(), "plain text naming an environment",
                            value instanceof Expr.Str ? "text with ${...}" : "an expression")
                    .hint("the template deploys to it, and pipe must know the environment before the run starts");
        }
        Span at = move.apply(d.environment().span());
        placeholders.add(at);
        return new Ident(d.environment().name(), at);
    }

    /**
     * {@code timeout params.NAME} and the like: settings that take a written duration, known before
     * the run, take a written duration as the argument.
     */
    private Expr.Dur literal(Expr.Dur d, Expr value, Resolved t, Function<Span, Span> move) {
        if (value instanceof Expr.Dur given) {
            return given;
        }
        Span at = move.apply(d.span());
        boolean durationParam = t.template().params().stream()
                .anyMatch(p -> p.name().name().equals(paramName(d)) && p.type().kind() == Trigger.InputKind.DURATION);
        // A parameter of another type, or an unknown one, is reported once with the template's declarations;
        // a literal of another type is reported as a wrong argument type.
        boolean literal = value instanceof Expr.Str || value instanceof Expr.Num || value instanceof Expr.Bool
                || value instanceof Expr.ListLit;
        if (durationParam && value != null && !literal && !isPlaceholder(value.span())) {
            Origin o = origin(value, paramName(d), t.name());
            report.add(Code.WRONG_TEMPLATE_ARGUMENT, value.span(), o.param(), o.template(), "a duration written out, such as 10m",
                            "an expression")
                    .hint("the template uses it where pipe needs the duration before the run starts");
        }
        placeholders.add(at);
        return new Expr.Dur("1s", at);
    }

    private Origin origin(Expr value, String param, String template) {
        Origin o = origins.get(value);
        return o != null ? o : new Origin(param, template);
    }

    private Map<String, Expr> arguments(Resolved t, List<StepItem.NamedArg> args, Ident at, String stage,
            Function<Span, Span> move) {
        Map<String, Template.Param> params = new LinkedHashMap<>();
        for (Template.Param p : t.template().params()) {
            params.putIfAbsent(p.name().name(), p);
        }
        Map<String, Expr> values = new HashMap<>();
        for (StepItem.NamedArg a : args) {
            String name = a.name().name();
            Template.Param p = params.get(name);
            if (p == null) {
                report.add(Code.UNKNOWN_TEMPLATE_ARGUMENT, a.name().span(), t.name(), name)
                        .hint(params.isEmpty() ? "it takes no arguments" : Suggest.didYouMean(name, params.keySet()))
                        .hint(params.isEmpty() || Suggest.closest(name, params.keySet()) != null ? null
                                : "its parameters are " + Suggest.list(params.keySet()));
                continue;
            }
            if (values.containsKey(name)) {
                report.add(Code.DUPLICATE_NAME, a.name().span(), "argument", name, "given").hint("remove the second one");
                continue;
            }
            values.put(name, a.value());
            if (!origins.containsKey(a.value())) {
                origins.put(a.value(), new Origin(name, t.name()));
                argChecks.add(new ArgCheck(stage, a, p, t.name()));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Template.Param p : params.values()) {
            String name = p.name().name();
            if (values.containsKey(name)) {
                continue;
            }
            if (p.defaultValue() != null) {
                values.put(name, new Rewrite(move::apply, node -> null).copy(p.defaultValue()));
            } else {
                missing.add(name);
                values.put(name, new Expr.Str(List.of(), false, at.span()));
                placeholders.add(at.span());
            }
        }
        for (String name : missing) {
            Template.Param p = params.get(name);
            report.add(Code.MISSING_TEMPLATE_ARGUMENT, at.span(), t.name(), name)
                    .hint("add `" + name + ": " + example(p) + "`");
        }
        return values;
    }

    private static String example(Template.Param p) {
        return switch (p.type().kind()) {
            case STRING -> "\"...\"";
            case BOOL -> "true";
            case NUMBER -> "1";
            case DURATION -> "10m";
            case LIST -> "[\"...\"]";
            case CHOICE -> p.type().choices().isEmpty() ? "\"...\"" : "\"" + p.type().choices().getFirst().constantText() + "\"";
        };
    }

    /**
     * The stage a template makes, with what the stage itself writes added: lists (services, env,
     * steps, outputs) are joined, the template's first; a setting both write is an error, because
     * silently preferring one would hide a mistake either way.
     */
    private Stage merge(Stage body, Stage own, String template) {
        String stage = own.name().name();
        Merge m = new Merge(template, stage);
        List<Program.Assignment> env = body.env() == null ? own.env() : own.env() == null ? body.env() : concat(body.env(), own.env());
        return new Stage(own.name(), own.from(),
                m.one(body.needs(), own.needs(), "needs", Stage.Needs::span),
                m.one(body.when(), own.when(), "when", Expr::span),
                m.one(body.runner(), own.runner(), "runner", Stage.Runner::span),
                m.one(body.workdir(), own.workdir(), "workdir", Expr::span),
                m.one(body.matrix(), own.matrix(), "matrix", Stage.Matrix::span),
                concat(body.services(), own.services()),
                env,
                m.one(body.deploy(), own.deploy(), "deploy", Stage.Deploy::span),
                m.one(body.timeout(), own.timeout(), "timeout", Expr.Dur::span),
                m.one(body.allowFailure(), own.allowFailure(), "allow_failure", s -> s),
                concat(body.steps(), own.steps()),
                m.one(body.verify(), own.verify(), "verify", Stage.Verify::span),
                m.one(body.rollback(), own.rollback(), "rollback", Block::span),
                m.one(body.finallyBlock(), own.finallyBlock(), "finally", Block::span),
                concat(body.outputs(), own.outputs()),
                List.of(),
                own.span());
    }

    private final class Merge {
        private final String template;
        private final String stage;

        Merge(String template, String stage) {
            this.template = template;
            this.stage = stage;
        }

        <T> T one(T fromTemplate, T fromStage, String setting, Function<T, Span> span) {
            if (fromTemplate != null && fromStage != null) {
                report.add(Code.TEMPLATE_SETTING_TWICE, span.apply(fromStage), setting, template, stage)
                        .hint("remove it here, or ask for a template parameter");
                return fromTemplate;
            }
            return fromTemplate != null ? fromTemplate : fromStage;
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    // ------------------------------------------------------------ argument types

    /** Each argument has its parameter's type, inferred where it is written: in its stage. */
    void checkArguments(Model m) {
        for (ArgCheck c : argChecks) {
            StageFacts f = m.stagesByName.get(c.stage());
            Scope scope = f == null ? Scope.pipeline(Scope.Place.STEP_ARGUMENT, null)
                    : new Scope(Scope.Place.STEP_ARGUMENT, f, false, f.environment(), Scope.StepView.afterMain(f.steps()));
            Expr value = c.arg().value();
            Type want = Type.of(c.param().type().kind());
            Type got = m.quiet.infer(value, scope);
            String name = c.arg().name().name();
            if (!want.accepts(got)) {
                report.add(Code.WRONG_TEMPLATE_ARGUMENT, value.span(), name, c.template(), want.article(), got.article())
                        .hint(want == Type.STRING && got != Type.LIST ? "put it in quotes"
                                : want == Type.DURATION && got == Type.STRING ? "write durations without quotes, as in 10m" : null);
            } else if (c.param().type().kind() == Trigger.InputKind.CHOICE && value instanceof Expr.Str s && s.isConstant()) {
                List<String> choices = choices(c.param());
                if (!choices.contains(s.constantText())) {
                    report.add(Code.WRONG_TEMPLATE_ARGUMENT, value.span(), name, c.template(),
                            "one of " + Suggest.list(choices), "`" + s.constantText() + "`")
                            .hint(Suggest.didYouMean(s.constantText(), choices));
                }
            }
        }
    }
}
