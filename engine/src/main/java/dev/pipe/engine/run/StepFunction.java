package dev.pipe.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A built-in step that pipe runs itself rather than as a shell command, such as
 * {@code notify.webhook}. The stage runner evaluates the step's arguments at run time, gives
 * them here as revealed text (secrets included: a step needs the real value), and treats the
 * result like a command's: retries, timeouts, {@code allow_failure} and the journal work the same.
 *
 * <p>What a function writes to its log goes through the same masking as a command's output, so
 * it may print a secret-bearing address: the reader sees {@code ***}.
 */
public interface StepFunction {
    /** The function's name as written in a step, such as {@code notify.webhook}. */
    String name();

    /**
     * Runs the step.
     *
     * @param log where to say what happened, for the step's log and the console
     * @param timeout the step's {@code timeout}, or null when it has none
     * @return how the step ended
     * @throws InterruptedException when the thread is interrupted; the step is abandoned
     */
    Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException;

    /**
     * Runs the step with what the stage can offer it besides its arguments: the step's
     * environment and the stage's runner. Functions that need neither keep the shorter
     * {@link #run(Args, OutputSink, Cancellation, Duration)}.
     */
    default Result run(Args args, Host host, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
        return run(args, log, cancel, timeout);
    }

    /** What the stage offers a step function besides its arguments. */
    interface Host {
        /**
         * The variables an {@code sh} step in the same place would see, without those of the
         * machine (PATH, HOME...): pipeline vars, the environment's vars, stage and step env,
         * the stage's secrets and the PIPE_* variables.
         *
         * @throws dev.pipe.engine.eval.UnknownValueException when a value of it is not known
         */
        Map<String, String> env();

        /**
         * Runs {@code script} on the stage's runner, in the stage's workdir, with the machine's
         * environment plus {@link #env()}; its output goes to {@code sink}.
         *
         * @param timeout null for none
         */
        ExecResult exec(String script, OutputSink sink, Cancellation cancel, Duration timeout) throws InterruptedException;

        /** A host with no environment that cannot run commands, for callers outside a stage. */
        Host NONE = new Host() {
            @Override
            public Map<String, String> env() {
                return Map.of();
            }

            @Override
            public ExecResult exec(String script, OutputSink sink, Cancellation cancel, Duration timeout) {
                throw new IllegalStateException("there is no runner to run commands on here");
            }
        };
    }

    /** The evaluated arguments of one call: the positional one and the named ones. */
    interface Args {
        /** The positional argument, or null when the call has none. */
        String positional();

        /** A named argument's value, or null when the call does not give it. */
        String named(String name);

        /** A named list argument's items, or null when the call does not give it. */
        List<String> list(String name);

        /**
         * The folder the step runs in, as an {@code sh} step of its stage would: the stage's
         * {@code workdir}, else the .pipe file's folder. Null where the caller has none.
         */
        default Path workdir() {
            return null;
        }

        /**
         * Leaves work for when all the stage's steps have succeeded, such as saving a cache of
         * what they built. It runs before the stage's outputs, verify and {@code finally}, shown
         * and journaled as a step named after this one and {@code label}; its failure fails the
         * stage. Where nothing runs such work (hooks, rollback blocks), it is dropped.
         */
        default void afterSteps(String label, Deferred work) {
        }
    }

    /** Work a step leaves for the end of its stage's steps; see {@link Args#afterSteps}. */
    @FunctionalInterface
    interface Deferred {
        Result run(OutputSink log, Cancellation cancel) throws InterruptedException;
    }

    /**
     * How a step function ended.
     *
     * @param failure why it failed, one sentence; null when it succeeded
     * @param outputs the step's outputs, readable as {@code steps.NAME.OUTPUT}
     * @param timedOut whether it failed because it ran out of time
     */
    record Result(String failure, Map<String, String> outputs, boolean timedOut) {
        public Result {
            outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        }

        public static Result ok(Map<String, String> outputs) {
            return new Result(null, outputs, false);
        }

        public static Result failed(String why) {
            return new Result(why, Map.of(), false);
        }

        public static Result timedOut(String why) {
            return new Result(why, Map.of(), true);
        }
    }
}
