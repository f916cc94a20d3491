/**
 * Expression evaluation with three outcomes: a known {@link dev.pipe.engine.eval.Value}, a value
 * only the run will know ({@link dev.pipe.engine.eval.Result.Unknown}, such as a step's output)
 * and no value at all ({@link dev.pipe.engine.eval.Result.Absent}, such as {@code git.tag} on a
 * branch push). What names mean comes from a {@link dev.pipe.engine.eval.Scope}: the planner
 * supplies one, a run will supply another. {@link dev.pipe.engine.eval.Glob} implements the
 * {@code ~} operator and trigger filters.
 */
package dev.pipe.engine.eval;
