package dev.pipe.engine.eval;

import java.util.List;

/**
 * What names mean where an expression is evaluated: {@code git.tag}, {@code inputs.x}, a pipeline
 * var, {@code steps.build.digest}... The planner supplies one scope per stage instance; a run
 * supplies another with real values.
 */
@FunctionalInterface
public interface Scope {
    /**
     * Resolves a bare name ({@code [image]}) or a dotted path ({@code [git, tag]}).
     * An {@link Result.Unknown} may leave its display null; the evaluator then shows the path as
     * {@code ${git.sha}}.
     */
    Result resolve(List<String> path);

    /**
     * Whether a bare name is defined here in its own right, so that it hides the event name it
     * spells: a pipeline var called {@code manual} wins over the constant {@code manual}, as in
     * the checker.
     */
    default boolean shadows(String name) {
        return false;
    }
}
