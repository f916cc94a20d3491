package dev.pipe.engine.plan;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.Scope;
import dev.pipe.engine.eval.Value;
import dev.pipe.lang.syntax.Expr;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What names mean at plan time. The event and the inputs are known; outputs of steps and stages,
 * the run's id and outcome, the runner's environment and the environment's history are not.
 * One scope per stage instance (its matrix values, its environment's vars, its version), one for hooks.
 *
 * <p>With {@link RunFacts} (a run), those are answered from the facts; without (a plan), they
 * stay unknown. Results that are unknown are then not cached, since the facts grow as the run goes.
 */
final class PlanScope implements Scope {
    private final EventContext ctx;
    private final Map<String, Result> inputs;
    private final Map<String, Expr> vars;
    private final Map<String, Expr> envVars;
    private final Map<String, Value> matrix;
    private final String environment;
    private final Expr version;
    private final RunFacts facts;
    private final Map<String, Result> cache = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();
    private final Evaluator evaluator = new Evaluator(this);

    /**
     * @param inputs bound inputs; an input not in the map is unset
     * @param vars pipeline vars: bare names and {@code vars.X}
     * @param envVars the deploy environment's vars, which {@code vars.X} sees before pipeline vars
     * @param environment the environment the stage deploys to, or null
     * @param version the stage's {@code deploy ... version} expression, or null
     * @param facts what the run knows, or null when planning
     */
    PlanScope(EventContext ctx, Map<String, Result> inputs, Map<String, Expr> vars, Map<String, Expr> envVars,
            Map<String, Value> matrix, String environment, Expr version, RunFacts facts) {
        this.facts = facts;
        this.ctx = ctx;
        this.inputs = inputs;
        this.vars = new LinkedHashMap<>(vars);
        this.envVars = new LinkedHashMap<>(envVars);
        this.matrix = matrix;
        this.environment = environment;
        this.version = version;
    }

    Evaluator evaluator() {
        return evaluator;
    }

    @Override
    public Result resolve(List<String> path) {
        String root = path.get(0);
        if (path.size() == 1) {
            return switch (root) {
                case "event" -> Result.of(ctx.kind().keyword());
                case "version" -> version();
                default -> vars.containsKey(root) ? variable(root, vars.get(root), "") : undefined(path);
            };
        }
        String name = path.get(1);
        String text = String.join(".", path);
        if (path.size() == 2) {
            switch (root) {
                case "git" -> {
                    return git(name, text);
                }
                case "inputs" -> {
                    Result r = inputs.get(name);
                    return r != null ? r : new Result.Absent(text + " is unset: only a manual run has inputs");
                }
                case "vars" -> {
                    if (envVars.containsKey(name)) {
                        return variable(name, envVars.get(name), "env ");
                    }
                    return vars.containsKey(name) ? variable(name, vars.get(name), "") : undefined(path);
                }
                case "secrets" -> {
                    String value = facts == null ? null : facts.secret(name);
                    return Result.of(value == null ? Value.Secret.named(name) : Value.Secret.revealed(name, value));
                }
                case "env" -> {
                    if (facts != null) {
                        String value = facts.env(name);
                        return value != null ? Result.of(value) : new Result.Absent(text + " is unset");
                    }
                    return new Result.Unknown(text + " is read from the runner's environment when the step runs", null);
                }
                case "matrix" -> {
                    Value v = matrix.get(name);
                    return v != null ? Result.of(v) : undefined(path);
                }
                case "run" -> {
                    return run(name, text);
                }
                case "previous" -> {
                    if (facts != null && (name.equals("version") || name.equals("run"))) {
                        String value = name.equals("version") ? facts.previousVersion() : facts.previousRun();
                        return value != null ? Result.of(value) : new Result.Absent(text + " is unset: nothing was deployed to "
                                + (environment == null ? "this stage's environment" : "`" + environment + "`") + " before");
                    }
                    return new Result.Unknown(text + " is read from the history of "
                            + (environment == null ? "the environment" : "`" + environment + "`")
                            + " when the stage runs", null);
                }
                default -> {
                    return undefined(path);
                }
            }
        }
        if (path.size() == 3 && facts != null && (root.equals("stages") || root.equals("steps"))) {
            Map<String, String> outputs = root.equals("stages") ? facts.stageOutputs(name) : facts.stepOutputs(name);
            if (outputs != null) {
                String value = outputs.get(path.get(2));
                return value != null ? Result.of(value) : new Result.Absent(text + " is unset: "
                        + (root.equals("stages") ? "stage" : "step") + " `" + name + "` did not produce output `" + path.get(2) + "`");
            }
        }
        if (path.size() == 3 && root.equals("stages")) {
            return new Result.Unknown(text + " is known only when stage `" + name + "` has run", null);
        }
        if (path.size() == 3 && root.equals("steps")) {
            return new Result.Unknown(text + " is known only when step `" + name + "` has run", null);
        }
        return undefined(path);
    }

    private Result git(String name, String text) {
        return switch (name) {
            case "branch" -> ctx.branch() != null ? Result.of(ctx.branch())
                    : new Result.Absent(text + " is unset: " + ctx.describe() + " has no branch");
            case "tag" -> ctx.tag() != null ? Result.of(ctx.tag()) : new Result.Absent(text + " is unset");
            case "sha" -> fact(ctx.sha(), text);
            case "short_sha" -> fact(ctx.shortSha(), text);
            case "message" -> fact(ctx.message(), text);
            case "author" -> fact(ctx.author(), text);
            case "changed" -> ctx.changed() == null
                    ? new Result.Unknown("the changed files are not known"
                            + (ctx.changedUnknown() == null ? "" : " (" + ctx.changedUnknown() + ")")
                            + "; pass them with --changed PATH", null)
                    : Result.of(new Value.ListOf(ctx.changed().stream().<Value>map(Value.Str::new).toList()));
            default -> undefined(List.of("git", name));
        };
    }

    private Result fact(String value, String text) {
        if (value != null) {
            return Result.of(value);
        }
        return new Result.Unknown(ctx.gitUnknown() != null ? text + " is not known: " + ctx.gitUnknown()
                : text + " is known when the run starts", null);
    }

    private Result run(String name, String text) {
        if (facts != null) {
            switch (name) {
                case "id" -> {
                    if (facts.runId() != null) {
                        return Result.of(facts.runId());
                    }
                }
                case "triggered_by" -> {
                    if (facts.triggeredBy() != null) {
                        return Result.of(facts.triggeredBy());
                    }
                }
                case "status" -> {
                    if (facts.status() != null) {
                        return Result.of(facts.status());
                    }
                }
                case "failed_stage" -> {
                    if (facts.failedStage() != null) {
                        return Result.of(facts.failedStage());
                    }
                    if (facts.status() != null) {
                        return new Result.Absent(text + " is unset: no stage failed");
                    }
                }
                default -> {
                }
            }
        }
        return switch (name) {
            case "triggered_by" -> ctx.triggeredBy() != null ? Result.of(ctx.triggeredBy())
                    : new Result.Unknown(text + " is known when the run starts", null);
            case "id" -> new Result.Unknown(text + " is assigned when the run starts", null);
            default -> new Result.Unknown(text + " is known when the run ends", null);
        };
    }

    @Override
    public boolean shadows(String name) {
        return vars.containsKey(name);
    }

    /** @param kind tells environment vars from pipeline vars of the same name in the cache */
    private Result variable(String name, Expr e, String kind) {
        String key = kind + name;
        Result cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        if (!evaluating.add(key)) {
            return new Result.Unknown("var `" + name + "` is defined in terms of itself", null);
        }
        Result r = evaluator.evaluate(e);
        evaluating.remove(key);
        // a string var shows its partly known text; anything else unknown shows by its name
        if (r instanceof Result.Unknown u && !(e instanceof Expr.Str)) {
            r = new Result.Unknown(u.reason(), null);
        }
        if (facts == null || !(r instanceof Result.Unknown)) {
            cache.put(key, r);
        }
        return r;
    }

    private Result version() {
        if (version == null) {
            // A deployment that names no version deploys the commit, as `git describe` names it.
            if (environment != null && ctx.gitDescribe() != null) {
                return Result.of(ctx.gitDescribe());
            }
            return new Result.Absent("version is unset: this stage "
                    + (environment == null ? "deploys nothing" : "declares no version"
                    + (ctx.gitUnknown() == null ? "" : " and git describe is not known: " + ctx.gitUnknown())));
        }
        Result cached = cache.get(" version");
        if (cached != null) {
            return cached;
        }
        if (!evaluating.add(" version")) {
            return new Result.Unknown("the version is defined in terms of itself", null);
        }
        Result r = evaluator.evaluate(version);
        evaluating.remove(" version");
        if (facts == null || !(r instanceof Result.Unknown)) {
            cache.put(" version", r);
        }
        return r;
    }

    private static Result undefined(List<String> path) {
        return new Result.Unknown("`" + String.join(".", path) + "` is not defined here", null);
    }
}
