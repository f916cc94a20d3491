package dev.pipe.lang.syntax;

import java.util.List;
import java.util.Locale;

/**
 * {@code template stage|steps NAME { param ... body }}: a reusable piece of a pipeline with typed
 * parameters. The body is kept as a {@link Stage} named after the template: a stage template may
 * hold any stage setting, a steps template only steps and {@code use}s. Inside the body,
 * {@code params.NAME} stands for an argument; expansion replaces it before the checker sees the stage.
 */
public record Template(Kind kind, Ident name, List<Param> params, Stage body, Span span) {
    public Template {
        params = List.copyOf(params);
    }

    public enum Kind {
        STAGE, STEPS;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code param NAME: TYPE [= default]}; a parameter without a default must be given. */
    public record Param(Ident name, Trigger.InputType type, Expr defaultValue, Span span) {
    }
}
