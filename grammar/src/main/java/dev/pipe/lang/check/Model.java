package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The program indexed by name, built once so that every later question is a map lookup. When a
 * name is declared twice the first declaration wins here; the duplicate is reported by {@link Names}.
 * Syntax-tree records compare by content, so they are never used as hash keys: maps are keyed by
 * name, by index or by identity.
 */
final class Model {
    static final List<String> EVENTS = List.of("push", "tag", "pull_request", "manual", "schedule");

    final Program program;
    final SourceFile source;
    final CheckOptions options;
    final Report report;

    final List<StageFacts> stages = new ArrayList<>();
    final Map<String, StageFacts> stagesByName = new HashMap<>();
    /** For each stage index, the distinct known stages it needs (not itself), with the names as written. */
    final List<List<Ident>> needs = new ArrayList<>();
    final Graph graph;

    final Map<String, Environment> environments = new LinkedHashMap<>();
    final Map<String, Trigger.InputDecl> inputs = new LinkedHashMap<>();
    final Map<String, Program.Assignment> vars = new LinkedHashMap<>();
    final Set<String> secrets = new LinkedHashSet<>();
    final Set<String> events = new LinkedHashSet<>();
    final Set<String> modules = new LinkedHashSet<>();
    /** What each module of steps (a JavaScript module) declares, by module name, when the resolver knows. */
    final Map<String, ImportResolver.ModuleSteps> moduleSteps = new HashMap<>();

    /** Types inferred without reporting, shared by every pass: pipeline vars and stage outputs. */
    final Map<String, Type> varTypes = new HashMap<>();
    final Set<String> varsInProgress = new java.util.HashSet<>();
    final Map<Integer, Map<String, Type>> outputTypes = new HashMap<>();
    /** Infers types without reporting; set by the checker once the model is built. */
    Exprs quiet;

    private final Map<Environment, Set<String>> envSecrets = new IdentityHashMap<>();
    private final Map<Environment, Map<String, Program.Assignment>> envVars = new IdentityHashMap<>();

    Model(Program program, SourceFile source, CheckOptions options, Report report) {
        this.program = program;
        this.source = source;
        this.options = options;
        this.report = report;
        for (Environment env : program.environments()) {
            environments.putIfAbsent(env.name().name(), env);
        }
        for (Trigger t : program.triggers()) {
            indexTrigger(t);
        }
        if (program.vars() != null) {
            for (Program.Assignment a : program.vars().entries()) {
                vars.putIfAbsent(a.name().name(), a);
            }
        }
        if (program.secrets() != null) {
            for (Ident s : program.secrets().names()) {
                secrets.add(s.name());
            }
        }
        for (Program.Import i : program.imports()) {
            String name = moduleName(i);
            // A .pipe module gives templates, not steps: `node.check` as a step is a mistake for `use node.check`.
            boolean templates = i.path().isConstant()
                    && (i.path().constantText().startsWith("std/") || i.path().constantText().endsWith(".pipe"));
            if (name != null && !templates) {
                modules.add(name);
                moduleSteps(i, name);
            }
        }
        for (Stage s : program.stages()) {
            String name = s.name().name();
            if (!stagesByName.containsKey(name)) {
                StageFacts facts = facts(stages.size(), s);
                stages.add(facts);
                stagesByName.put(name, facts);
            }
        }
        int[][] edges = new int[stages.size()][];
        for (StageFacts f : stages) {
            List<Ident> known = new ArrayList<>();
            Set<Integer> seen = new LinkedHashSet<>();
            for (Ident need : f.stage().needsList()) {
                StageFacts target = stagesByName.get(need.name());
                if (target != null && target.index() != f.index() && seen.add(target.index())) {
                    known.add(need);
                }
            }
            needs.add(known);
            edges[f.index()] = seen.stream().mapToInt(Integer::intValue).toArray();
        }
        graph = new Graph(edges);
    }

    private void indexTrigger(Trigger t) {
        switch (t) {
            case Trigger.Push p -> {
                boolean branches = p.filters().stream().anyMatch(f -> f.kind() == Trigger.FilterKind.BRANCHES);
                boolean tags = p.filters().stream().anyMatch(f -> f.kind() == Trigger.FilterKind.TAGS);
                // Like the CI systems people know: naming only branches (or only tags) limits the
                // push to that kind of ref; naming neither runs on both.
                if (branches || !tags) {
                    events.add("push");
                }
                if (tags || !branches) {
                    events.add("tag");
                }
            }
            case Trigger.PullRequest ignored -> events.add("pull_request");
            case Trigger.Manual m -> {
                events.add("manual");
                for (Trigger.InputDecl in : m.inputs()) {
                    inputs.putIfAbsent(in.name().name(), in);
                }
            }
            case Trigger.Schedule ignored -> events.add("schedule");
        }
    }

    /** Asks the resolver what a module of steps declares, once per module name. */
    private void moduleSteps(Program.Import i, String name) {
        if (options == null || options.imports() == null || !i.path().isConstant() || moduleSteps.containsKey(name)) {
            return;
        }
        String path = i.path().constantText();
        if (!options.imports().exists(source, path)) {
            return;
        }
        ImportResolver.ModuleSteps declared = options.imports().steps(source, path);
        if (declared != null) {
            List<StepSignature> qualified = new ArrayList<>();
            for (StepSignature s : declared.steps()) {
                qualified.add(new StepSignature(name + "." + s.name(), s.params(), s.outputs(), s.summary()));
            }
            moduleSteps.put(name, new ImportResolver.ModuleSteps(qualified, declared.error()));
        }
    }

    /**
     * The steps of the module a call names, when the module declares them and can be used; null
     * when calls to it cannot be checked.
     */
    List<StepSignature> moduleStepsOf(String function) {
        if (!fromModule(function)) {
            return null;
        }
        ImportResolver.ModuleSteps declared = moduleSteps.get(function.substring(0, function.indexOf('.')));
        return declared == null || declared.error() != null ? null : declared.steps();
    }

    /** The name an import's steps are called by: its alias, or the last part of its path without extension. */
    static String moduleName(Program.Import i) {
        if (i.alias() != null) {
            return i.alias().name();
        }
        if (!i.path().isConstant()) {
            return null;
        }
        String path = i.path().constantText();
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.indexOf('.');
        return dot > 0 ? last.substring(0, dot) : last;
    }

    StageFacts facts(int index, Stage s) {
        Environment env = s.deploy() == null ? null : environments.get(s.deploy().environment().name());
        Map<String, Type> matrix = null;
        if (s.matrix() != null) {
            matrix = new LinkedHashMap<>();
            for (Stage.Axis axis : s.matrix().axes()) {
                matrix.putIfAbsent(axis.name().name(), literalType(axis.values()));
            }
        }
        Map<String, Stage.Output> outputs = new LinkedHashMap<>();
        for (Stage.Output o : s.outputs()) {
            outputs.putIfAbsent(o.name().name(), o);
        }
        Map<String, StepFacts> steps = new LinkedHashMap<>();
        int order = 0;
        for (StepItem.Step step : s.steps()) {
            addStep(steps, step, StepFacts.Section.MAIN, order++);
        }
        addSteps(steps, s.rollback(), StepFacts.Section.ROLLBACK);
        addSteps(steps, s.finallyBlock(), StepFacts.Section.FINALLY);
        return new StageFacts(index, s, env, matrix, outputs, steps);
    }

    /** The named steps of a hook or a stage block. */
    Map<String, StepFacts> hookSteps(Block block) {
        Map<String, StepFacts> steps = new LinkedHashMap<>();
        addSteps(steps, block, StepFacts.Section.HOOK);
        return steps;
    }

    private void addSteps(Map<String, StepFacts> steps, Block block, StepFacts.Section section) {
        if (block == null) {
            return;
        }
        int order = 0;
        for (StepItem item : block.items()) {
            if (item instanceof StepItem.Step step) {
                addStep(steps, step, section, order);
            }
            order++;
        }
    }

    private void addStep(Map<String, StepFacts> steps, StepItem.Step step, StepFacts.Section section, int order) {
        if (!step.name().isConstant()) {
            return;
        }
        String name = step.name().constantText();
        steps.putIfAbsent(name, new StepFacts(name, section, order, signature(step.call()), step.name().span()));
    }

    /** The signature of a call's function, or null when unknown (or from a module whose steps are not known). */
    StepSignature signature(StepItem.StepCall call) {
        String fn = call.function().name();
        if (fromModule(fn)) {
            List<StepSignature> declared = moduleStepsOf(fn);
            return declared == null ? null : declared.stream().filter(s -> s.name().equals(fn)).findFirst().orElse(null);
        }
        if (options == null || options.steps() == null) {
            return null;
        }
        return options.steps().find(call.function().name()).orElse(null);
    }

    /** Whether a step function is called through an imported module, such as {@code semver.next}. */
    boolean fromModule(String function) {
        int dot = function.indexOf('.');
        return dot > 0 && modules.contains(function.substring(0, dot));
    }

    Set<String> secretsOf(Environment env) {
        return envSecrets.computeIfAbsent(env, e -> {
            Set<String> out = new LinkedHashSet<>();
            if (e.secrets() != null) {
                for (Ident s : e.secrets().names()) {
                    out.add(s.name());
                }
            }
            return out;
        });
    }

    Map<String, Program.Assignment> varsOf(Environment env) {
        return envVars.computeIfAbsent(env, e -> {
            Map<String, Program.Assignment> out = new LinkedHashMap<>();
            if (e.vars() != null) {
                for (Program.Assignment a : e.vars().entries()) {
                    out.putIfAbsent(a.name().name(), a);
                }
            }
            return out;
        });
    }

    /** The type shared by literal values, or ANY when they differ or are not literals. */
    static Type literalType(List<Expr> values) {
        Type common = null;
        for (Expr e : values) {
            Type t = switch (e) {
                case Expr.Str ignored -> Type.STRING;
                case Expr.Num ignored -> Type.NUMBER;
                case Expr.Bool ignored -> Type.BOOL;
                case Expr.Dur ignored -> Type.DURATION;
                case Expr.ListLit ignored -> Type.LIST;
                default -> Type.ANY;
            };
            if (common == null) {
                common = t;
            } else if (common != t) {
                return Type.ANY;
            }
        }
        return common == null ? Type.ANY : common;
    }
}
