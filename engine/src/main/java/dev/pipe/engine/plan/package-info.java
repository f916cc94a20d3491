/**
 * The plan: what a pipeline would do for one event, decided before anything runs.
 *
 * <p>{@link dev.pipe.engine.plan.Planner#plan Planner.plan} takes a checked program and an
 * {@link dev.pipe.engine.plan.EventContext} and works in this order:
 * <ol>
 *   <li>the event is validated (a push needs a branch, a tag push a tag);</li>
 *   <li>{@code Inputs} checks {@code --input} names and types against {@code on manual} and fills
 *       in defaults; a wrong name or value is a {@link dev.pipe.engine.plan.PlanException};</li>
 *   <li>{@code Triggers} finds the trigger that accepts the event, or the sentence saying why
 *       none does; with none (or a required input missing) every stage is skipped for that reason;</li>
 *   <li>{@code Groups} numbers the parallel groups of the DAG;</li>
 *   <li>each stage is expanded by its {@code Matrix} into instances; an instance is skipped when
 *       all instances of a need are skipped or its {@code when} is false, and otherwise meets its
 *       environment's {@code Gates} (lock, window, approval), which may make it wait;</li>
 *   <li>{@code Steps} interpolates runners, services, env blocks, steps, checks, rollback and
 *       finally blocks and outputs through a {@code PlanScope}, which knows the event but no
 *       secret values and no outputs;</li>
 *   <li>the same is done once more without a clock, and {@link dev.pipe.engine.plan.PlanDigest}
 *       hashes that clock-free plan.</li>
 * </ol>
 * {@link dev.pipe.engine.plan.PlanText} renders a plan for people, {@link dev.pipe.engine.plan.PlanJson}
 * as JSON or YAML for machines. docs/planning.md states the rules, docs/plan-schema.md the format.
 */
package dev.pipe.engine.plan;
