package dev.pipe.engine.plan;

import java.util.Map;

/**
 * What a run knows that a plan does not: outputs of finished stages and steps, the runner's
 * environment, the run's id and outcome, the deploy environment's history and secret values.
 * Given to {@link Planner#evaluator}, it turns the plan's unknowns into values. Each method may
 * be called from any thread while the run goes on, so answers must reflect the current state.
 */
public interface RunFacts {
    /** The outputs of a finished stage instance by name, or null while it has not finished. */
    Map<String, String> stageOutputs(String stage);

    /** The outputs of a finished step of the current stage, or null while it has not run. */
    Map<String, String> stepOutputs(String step);

    /** A variable of the runner's environment ({@code env.X}), or null when unset. */
    String env(String name);

    String runId();

    /** Who started the run, or null to use the event's. */
    String triggeredBy();

    /** succeeded, failed or cancelled once the run has ended; null while it goes on. */
    String status();

    /** The stage instance that failed, or null when none did. */
    String failedStage();

    /** The version last deployed to the stage's environment, or null when there is none. */
    String previousVersion();

    /** The id of the run that last deployed to the stage's environment, or null when none did. */
    String previousRun();

    /** A secret's value, or null when it has none. */
    String secret(String name);

    /** A copy of {@code base} that answers {@link #stepOutputs} from {@code steps} instead. */
    static RunFacts withSteps(RunFacts base, java.util.function.Function<String, Map<String, String>> steps) {
        return new Forwarding(base) {
            @Override
            public Map<String, String> stepOutputs(String step) {
                return steps.apply(step);
            }
        };
    }

    /** A copy of {@code base} that answers {@code previous.version} and {@code previous.run} with these. */
    static RunFacts withPrevious(RunFacts base, String version, String run) {
        return new Forwarding(base) {
            @Override
            public String previousVersion() {
                return version;
            }

            @Override
            public String previousRun() {
                return run;
            }
        };
    }

    /** A copy of {@code base} that answers {@code run.status} and {@code run.failed_stage} with these: a run that ended. */
    static RunFacts ended(RunFacts base, String status, String failedStage) {
        return new Forwarding(base) {
            @Override
            public String status() {
                return status;
            }

            @Override
            public String failedStage() {
                return failedStage;
            }
        };
    }

    /** Answers everything as {@code base} does; the copies above override what they change. */
    class Forwarding implements RunFacts {
        private final RunFacts base;

        public Forwarding(RunFacts base) {
            this.base = base;
        }

        @Override
        public Map<String, String> stageOutputs(String stage) {
            return base.stageOutputs(stage);
        }

        @Override
        public Map<String, String> stepOutputs(String step) {
            return base.stepOutputs(step);
        }

        @Override
        public String env(String name) {
            return base.env(name);
        }

        @Override
        public String runId() {
            return base.runId();
        }

        @Override
        public String triggeredBy() {
            return base.triggeredBy();
        }

        @Override
        public String status() {
            return base.status();
        }

        @Override
        public String failedStage() {
            return base.failedStage();
        }

        @Override
        public String previousVersion() {
            return base.previousVersion();
        }

        @Override
        public String previousRun() {
            return base.previousRun();
        }

        @Override
        public String secret(String name) {
            return base.secret(name);
        }
    }
}
