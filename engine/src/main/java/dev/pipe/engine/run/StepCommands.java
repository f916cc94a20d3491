package dev.pipe.engine.run;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.UnknownValueException;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.RunFacts;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link ShellCommand} of an {@code sh} step at run time. The environment is, later
 * entries winning: the base environment (PATH and the like), pipeline vars, the deploy
 * environment's vars, stage env, step env, the stage's declared secrets, then the PIPE_*
 * context variables. A var whose value is not known yet (it reads an output not produced) or
 * unset is left out; an unknown value in an env block fails the step, since the step asked for it.
 */
final class StepCommands {
    private final Program program;
    private final EventContext ctx;
    private final String stageName;
    private final List<String> secrets;
    private final Stage stage;
    private final Environment environment;
    private final Evaluator eval;
    private final RunFacts facts;
    private final Path pipeDir;
    private final Map<String, String> baseEnv;

    /**
     * @param stageName the stage instance's name, or the hook's ({@code on failure})
     * @param stage the stage, or null for a hook
     * @param secrets the secrets the steps get: the stage's declared ones, or the pipeline's for a hook
     */
    StepCommands(Program program, EventContext ctx, String stageName, Stage stage, List<String> secrets,
            Environment environment, Evaluator eval, RunFacts facts, Path pipeDir, Map<String, String> baseEnv) {
        this.program = program;
        this.ctx = ctx;
        this.stageName = stageName;
        this.secrets = List.copyOf(secrets);
        this.stage = stage;
        this.environment = environment;
        this.eval = eval;
        this.facts = facts;
        this.pipeDir = pipeDir;
        this.baseEnv = baseEnv;
    }

    /** The command of an {@code sh} call: its positional argument or {@code command:}. */
    static Expr script(StepItem.StepCall call) {
        if (call.positional() != null) {
            return call.positional();
        }
        return call.args().stream().filter(a -> a.name().name().equals("command")).map(StepItem.NamedArg::value)
                .findFirst().orElse(null);
    }

    /**
     * @throws UnknownValueException when the command, the workdir, an env value or a secret is not known
     */
    ShellCommand command(StepItem item, String stepName, int attempt, Path outputFile, java.time.Duration timeout) {
        Expr script = script(item.call());
        if (script == null) {
            throw new UnknownValueException("`sh` needs a command, such as sh \"make test\"");
        }
        Map<String, String> env = env(item, stepName, attempt, true);
        env.put("PIPE_OUTPUT", outputFile.toString());
        Expr shell = item.call().args().stream().filter(a -> a.name().name().equals("shell"))
                .map(StepItem.NamedArg::value).findFirst().orElse(null);
        return new ShellCommand(eval.reveal(script), workdir(), env, timeout, shell == null ? null : eval.reveal(shell));
    }

    /**
     * The environment of a step: with {@code machine}, the base environment first; then the
     * pipeline vars, the deploy environment's vars, stage env, step env, the stage's secrets and
     * the PIPE_* variables ($PIPE_OUTPUT excepted).
     *
     * @throws UnknownValueException when an env value or a secret is not known
     */
    Map<String, String> env(StepItem item, String stepName, int attempt, boolean machine) {
        Map<String, String> env = machine ? new LinkedHashMap<>(baseEnv) : new LinkedHashMap<>();
        if (program.vars() != null) {
            program.vars().entries().forEach(a -> putIfKnown(env, a));
        }
        if (environment != null && environment.vars() != null) {
            environment.vars().entries().forEach(a -> putIfKnown(env, a));
        }
        if (stage != null) {
            putAll(env, stage.env());
        }
        if (item instanceof StepItem.Step s) {
            putAll(env, s.env());
        }
        for (String name : secrets) {
            String value = facts.secret(name);
            if (value == null) {
                throw new UnknownValueException("secret `" + name + "` has no value; pass it with --secrets-file or PIPE_SECRET_"
                        + name);
            }
            env.put(name, value);
        }
        putIfNotNull(env, "PIPE_RUN_ID", facts.runId());
        env.put("PIPE_STAGE", stageName);
        env.put("PIPE_STEP", stepName);
        env.put("PIPE_ATTEMPT", Integer.toString(attempt));
        if (stage != null && stage.deploy() != null && eval.evaluate(new Expr.Ref("version", null)) instanceof Result.Known) {
            env.put("PIPE_VERSION", eval.reveal(new Expr.Ref("version", null)));
        }
        env.put("PIPE_EVENT", ctx.kind().keyword());
        putIfNotNull(env, "PIPE_BRANCH", ctx.branch());
        putIfNotNull(env, "PIPE_TAG", ctx.tag());
        return env;
    }

    /** The machine's environment: PATH, HOME and the like. */
    Map<String, String> baseEnv() {
        return baseEnv;
    }

    /** The directory of the .pipe file, or the stage's workdir relative to it. */
    Path workdir() {
        if (stage == null || stage.workdir() == null) {
            return pipeDir;
        }
        return pipeDir.resolve(eval.reveal(stage.workdir())).normalize();
    }

    private void putIfKnown(Map<String, String> env, Program.Assignment a) {
        if (eval.evaluate(a.value()) instanceof Result.Known) {
            env.put(a.name().name(), eval.reveal(a.value()));
        }
    }

    private void putAll(Map<String, String> env, List<Program.Assignment> assignments) {
        if (assignments != null) {
            for (Program.Assignment a : assignments) {
                env.put(a.name().name(), eval.reveal(a.value()));
            }
        }
    }

    private static void putIfNotNull(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }
}
