package dev.pipe.lang.syntax;

import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code .pipe} file. Singular settings are fields (null when absent); repeated
 * declarations are lists in source order. The formatter prints them in one canonical order.
 */
public record Program(
        Ident name,
        List<Import> imports,
        List<Template> templates,
        List<Trigger> triggers,
        Secrets secrets,
        Vars vars,
        List<Environment> environments,
        List<Stage> stages,
        List<Hook> hooks,
        Span span) {

    public Program {
        imports = List.copyOf(imports);
        templates = List.copyOf(templates);
        triggers = List.copyOf(triggers);
        environments = List.copyOf(environments);
        stages = List.copyOf(stages);
        hooks = List.copyOf(hooks);
    }

    public Optional<Stage> stage(String stageName) {
        return stages.stream().filter(s -> s.name().name().equals(stageName)).findFirst();
    }

    public Optional<Environment> environment(String envName) {
        return environments.stream().filter(e -> e.name().name().equals(envName)).findFirst();
    }

    /** A module holds templates for pipelines to import, and has no {@code pipeline NAME} of its own. */
    public boolean isModule() {
        return name == null && !templates.isEmpty();
    }

    /** The same program with other stages, as template expansion produces it. */
    public Program withStages(List<Stage> others) {
        return new Program(name, imports, templates, triggers, secrets, vars, environments, others, hooks, span);
    }

    public Optional<Template> template(String templateName) {
        return templates.stream().filter(t -> t.name().name().equals(templateName)).findFirst();
    }

    /**
     * {@code import "path" [as alias] [allow NAME, ...]}
     *
     * @param allow what the module may do beyond its sandbox's defaults, such as {@code exec}; empty for nothing
     */
    public record Import(Expr.Str path, Ident alias, List<Ident> allow, Span span) {
        public Import {
            allow = allow == null ? List.of() : List.copyOf(allow);
        }

        public Import(Expr.Str path, Ident alias, Span span) {
            this(path, alias, List.of(), span);
        }

        /** Whether the import grants {@code permission}, as in {@code allow exec}. */
        public boolean allows(String permission) {
            return allow.stream().anyMatch(a -> a.name().equals(permission));
        }
    }

    /** {@code vars { NAME = expr ... }} */
    public record Vars(List<Assignment> entries, Span span) {
        public Vars {
            entries = List.copyOf(entries);
        }
    }

    /** {@code NAME = expr}, in vars and env blocks. */
    public record Assignment(Ident name, Expr value, Span span) {
    }

    /** {@code secrets [A, B]}: names of secrets made available to steps. */
    public record Secrets(List<Ident> names, Span span) {
        public Secrets {
            names = List.copyOf(names);
        }
    }

    /** {@code on success|failure|always { steps }} */
    public record Hook(HookKind kind, Block steps, Span span) {
    }

    public enum HookKind {
        SUCCESS, FAILURE, ALWAYS;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
