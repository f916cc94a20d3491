package dev.pipe.lang.check;

import dev.pipe.lang.diag.Suggest;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Trigger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Declarations and the need graph: the pipeline's name, names declared twice, needs that name no
 * stage or the stage itself, cycles of needs, environments that are not declared, and imports
 * that cannot be found.
 */
final class Names {
    private static final int CYCLE_SHOWN = 12;

    private final Model m;
    private final Report r;

    Names(Model model) {
        this.m = model;
        this.r = model.report;
    }

    void check() {
        Program p = m.program;
        if (p.name() == null) {
            r.add(Code.MISSING_PIPELINE_NAME, firstWord(p.span()))
                    .hint("name the pipeline on the first line, as in `pipeline shop`");
        }
        if (p.stages().isEmpty()) {
            r.add(Code.NO_STAGES, p.name() != null ? p.name().span() : firstWord(p.span()),
                            p.name() != null ? p.name().name() : "")
                    .hint("add one, as in `stage build { step \"compile\" { sh \"make\" } }`");
        }
        imports();
        triggers();
        if (p.vars() != null) {
            assignments(p.vars().entries(), "var");
        }
        secrets(p.secrets());
        Seen envs = new Seen();
        for (Environment env : p.environments()) {
            Span first = envs.first(env.name());
            if (first != null) {
                r.add(Code.DUPLICATE_ENVIRONMENT, env.name().span(), env.name().name()).hint(firstHint(first));
            }
            if (env.vars() != null) {
                assignments(env.vars().entries(), "var");
            }
            secrets(env.secrets());
        }
        Seen stages = new Seen();
        for (Stage s : p.stages()) {
            Span first = stages.first(s.name());
            if (first != null) {
                r.add(Code.DUPLICATE_STAGE, s.name().span(), s.name().name()).hint(firstHint(first) + "; rename one of them");
            }
            stage(s);
        }
        for (Program.Hook hook : p.hooks()) {
            steps(new Seen(), hook.steps(), "the `on " + hook.kind().keyword() + "` hook");
        }
        cycles();
    }

    private void imports() {
        Seen names = new Seen();
        for (Program.Import i : m.program.imports()) {
            String path = Values.constant(r, i.path(), "an import path");
            if (path == null) {
                continue;
            }
            String name = Model.moduleName(i);
            Span at = i.alias() != null ? i.alias().span() : i.path().span();
            if (name != null) {
                Span first = names.first(name, at);
                if (first != null) {
                    r.add(Code.DUPLICATE_NAME, at, "module", name, "imported")
                            .hint(firstHint(first) + "; give one of them another name with `as`");
                }
            }
            if (m.options != null && m.options.imports() != null && !m.options.imports().exists(m.source, path)) {
                r.add(Code.IMPORT_NOT_FOUND, i.path().span(), path).hint(whereLooked(path));
            }
            ImportResolver.ModuleSteps declared = name == null ? null : m.moduleSteps.get(name);
            if (declared != null && declared.error() != null && first(i, name)) {
                r.add(Code.MODULE_INVALID, i.path().span(), path, declared.error());
            }
            allow(i, path);
        }
    }

    /** Whether {@code i} is the first import named {@code name}: a module's problems are reported once. */
    private boolean first(Program.Import i, String name) {
        return m.program.imports().stream().filter(o -> name.equals(Model.moduleName(o))).findFirst().orElse(null) == i;
    }

    /** What an import grants its module: only JavaScript modules can be granted anything, and only `exec`. */
    private void allow(Program.Import i, String path) {
        for (Ident permission : i.allow()) {
            if (!path.endsWith(".js")) {
                r.add(Code.UNKNOWN_PERMISSION, permission.span(), "`allow` grants a JavaScript module more than its sandbox allows; `"
                        + path + "` is not one").hint("remove `allow " + permission.name() + "`");
            } else if (!permission.name().equals("exec")) {
                r.add(Code.UNKNOWN_PERMISSION, permission.span(), "`allow " + permission.name() + "` is not something pipe can grant a module")
                        .hint(Suggest.didYouMean(permission.name(), List.of("exec")))
                        .hint("a JavaScript module can be allowed `exec`: to run commands through the stage's runner");
            }
        }
    }

    private String whereLooked(String path) {
        if (path.startsWith("std/")) {
            return "looked among pipe's built-in modules for `" + path + ".pipe`";
        }
        if (path.startsWith("./") || path.startsWith("../")) {
            String file = m.source.path();
            int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
            String dir = slash < 0 ? "" : file.substring(0, slash + 1);
            return "looked for `" + normalize(dir + path) + "`, relative to the folder of this file";
        }
        return "write `std/NAME` for a built-in module, or a path that starts with `./` or `../`";
    }

    /** Removes {@code ./} and {@code dir/..} from a relative path, textually. */
    static String normalize(String path) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/", -1)) {
            if (part.equals(".") || part.isEmpty() && !parts.isEmpty()) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..") && !parts.peekLast().isEmpty()) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private void triggers() {
        Seen inputs = new Seen();
        Span manual = null;
        for (Trigger t : m.program.triggers()) {
            if (!(t instanceof Trigger.Manual man)) {
                continue;
            }
            if (manual != null) {
                r.add(Code.DUPLICATE_NAME, new Span(t.span().start(), t.span().start() + "on manual".length()),
                        "trigger", "on manual", "declared").hint(firstHint(manual) + "; put all inputs in one `on manual { ... }`");
            } else {
                manual = t.span();
            }
            for (Trigger.InputDecl in : man.inputs()) {
                Span first = inputs.first(in.name());
                if (first != null) {
                    r.add(Code.DUPLICATE_INPUT, in.name().span(), in.name().name()).hint(firstHint(first));
                }
                Seen choices = new Seen();
                for (Expr.Str c : in.type().choices()) {
                    if (c.isConstant() && choices.first(c.constantText(), c.span()) != null) {
                        r.add(Code.DUPLICATE_NAME, c.span(), "choice", c.constantText(), "listed");
                    }
                }
            }
        }
    }

    private void stage(Stage s) {
        String where = "stage `" + s.name().name() + "`";
        needs(s);
        if (s.deploy() != null && !m.environments.containsKey(s.deploy().environment().name())) {
            Ident env = s.deploy().environment();
            r.add(Code.UNKNOWN_ENVIRONMENT, env.span(), env.name())
                    .hint(Suggest.didYouMean(env.name(), m.environments.keySet()))
                    .hint(m.environments.isEmpty() ? "declare it: `environment " + env.name() + " { ... }`" : null);
        }
        if (s.matrix() != null) {
            Seen axes = new Seen();
            for (Stage.Axis a : s.matrix().axes()) {
                Span first = axes.first(a.name());
                if (first != null) {
                    r.add(Code.DUPLICATE_NAME, a.name().span(), "matrix axis", a.name().name(), "declared").hint(firstHint(first));
                }
            }
        }
        Seen services = new Seen();
        for (Stage.Service service : s.services()) {
            Span first = services.first(service.name());
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, service.name().span(), "service", service.name().name(), "declared").hint(firstHint(first));
            }
            assignments(service.env(), "env var");
        }
        assignments(s.env(), "env var");
        Seen outputs = new Seen();
        for (Stage.Output o : s.outputs()) {
            Span first = outputs.first(o.name());
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, o.name().span(), "output", o.name().name(), "declared").hint(firstHint(first));
            }
        }
        // Main steps, rollback and finally share one namespace, so `steps.NAME` is never ambiguous.
        Seen steps = new Seen();
        steps(steps, new Block(List.copyOf(s.steps()), s.span()), where);
        steps(steps, s.rollback(), where);
        steps(steps, s.finallyBlock(), where);
    }

    private void steps(Seen seen, Block block, String where) {
        if (block == null) {
            return;
        }
        for (StepItem item : block.items()) {
            if (item instanceof StepItem.Step step) {
                String name = Values.constant(r, step.name(), "a step name");
                if (name != null && name.isBlank()) {
                    r.add(Code.INVALID_VALUE, step.name().span(), "a step name cannot be empty");
                } else if (name != null) {
                    Span first = seen.first(name, step.name().span());
                    if (first != null) {
                        r.add(Code.DUPLICATE_STEP, step.name().span(), name, where).hint(firstHint(first));
                    }
                }
                assignments(step.env(), "env var");
            }
        }
    }

    private void needs(Stage s) {
        Seen listed = new Seen();
        for (Ident need : s.needsList()) {
            Span first = listed.first(need);
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, need.span(), "stage", need.name(), "listed in needs").hint("remove the second one");
                continue;
            }
            if (need.name().equals(s.name().name())) {
                r.add(Code.SELF_NEED, need.span(), need.name()).hint("remove it from the needs");
            } else if (!m.stagesByName.containsKey(need.name())) {
                r.add(Code.UNKNOWN_STAGE, need.span(), need.name())
                        .hint(Suggest.didYouMean(need.name(), m.stagesByName.keySet()));
            }
        }
    }

    private void cycles() {
        for (int[] component : m.graph.cycles()) {
            int start = component[0];
            List<Integer> path = m.graph.cycleThrough(start, component);
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < path.size(); i++) {
                if (i > 0) {
                    shown.append(" → ");
                }
                if (i == CYCLE_SHOWN && path.size() > CYCLE_SHOWN + 1) {
                    shown.append("… (").append(path.size() - 1).append(" stages) → ")
                            .append(m.stages.get(start).name());
                    break;
                }
                shown.append(m.stages.get(path.get(i)).name());
            }
            String next = m.stages.get(path.get(1)).name();
            Span at = m.stages.get(start).stage().name().span();
            for (Ident need : m.needs.get(start)) {
                if (need.name().equals(next)) {
                    at = need.span();
                }
            }
            r.add(Code.CYCLE, at, shown.toString())
                    .hint("each stage here needs the next one, so none of them can start; remove one of these needs");
        }
    }

    private void secrets(Program.Secrets secrets) {
        if (secrets == null) {
            return;
        }
        Seen seen = new Seen();
        for (Ident name : secrets.names()) {
            Span first = seen.first(name);
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, name.span(), "secret", name.name(), "listed").hint("remove the second one");
            }
        }
    }

    private void assignments(List<Program.Assignment> entries, String kind) {
        if (entries == null) {
            return;
        }
        Seen seen = new Seen();
        for (Program.Assignment a : entries) {
            Span first = seen.first(a.name());
            if (first != null) {
                r.add(Code.DUPLICATE_NAME, a.name().span(), kind, a.name().name(), "declared").hint(firstHint(first));
            }
        }
    }

    private String firstHint(Span first) {
        return "the first one is on line " + r.line(first);
    }

    /** The first word of the file, to point at when something is missing at the top. */
    private Span firstWord(Span program) {
        String text = m.source.text();
        int start = Math.min(program.start(), text.length());
        int end = start;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return new Span(start, end);
    }

    /** Names seen so far in one namespace, with where each was first declared. */
    private static final class Seen {
        private final Map<String, Span> first = new HashMap<>();

        Span first(Ident name) {
            return first(name.name(), name.span());
        }

        /** The span of an earlier declaration of {@code name}, or null when this is the first. */
        Span first(String name, Span span) {
            return first.putIfAbsent(name, span);
        }
    }
}
