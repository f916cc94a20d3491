package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Environment;
import java.util.Map;

/**
 * What an expression can see where it is written: the kind of place (which decides whether a
 * secret may appear and how a mistake is described), the stage around it, and the steps that have
 * already run at that point.
 *
 * @param place where the expression is written
 * @param stage the stage around it, or null at pipeline level and in hooks
 * @param hook true inside an {@code on success|failure|always} hook
 * @param varsEnv the environment whose vars {@code vars.X} also sees, or null
 * @param steps the steps {@code steps.S.OUT} may name, or null where step outputs do not exist yet
 */
record Scope(Place place, StageFacts stage, boolean hook, Environment varsEnv, StepView steps) {

    /** Pipeline-level places: vars, environment settings, trigger inputs. */
    static Scope pipeline(Place place, Environment varsEnv) {
        return new Scope(place, null, false, varsEnv, null);
    }

    Scope at(Place other) {
        return new Scope(other, stage, hook, varsEnv, steps);
    }

    Scope withSteps(StepView view) {
        return new Scope(place, stage, hook, varsEnv, view);
    }

    boolean deploys() {
        return stage != null && stage.stage().deploy() != null;
    }

    /** "stage `build`", "a hook", or "the pipeline", for messages. */
    String where() {
        if (stage != null) {
            return "stage `" + stage.name() + "`";
        }
        return hook ? "a hook" : "pipeline settings";
    }

    /** Kinds of places an expression can be written in. */
    enum Place {
        CONDITION("a condition", false),
        STEP_ARGUMENT("a step argument", true),
        ENV("an env block", true),
        OUTPUT("an output", false),
        VARS("vars", false),
        URL("a url", false),
        VERSION("a version", false),
        RUNNER("a runner setting", false),
        WORKDIR("a workdir", false),
        SERVICE("a service image", false),
        READY("a ready command", false),
        MATRIX("a matrix value", false),
        CHECK("a verify check", false),
        INPUT_DEFAULT("an input default", false);

        private final String label;
        private final boolean secretsAllowed;

        Place(String label, boolean secretsAllowed) {
            this.label = label;
            this.secretsAllowed = secretsAllowed;
        }

        String label() {
            return label;
        }

        boolean secretsAllowed() {
            return secretsAllowed;
        }
    }

    /**
     * The steps visible from one point: {@code all} names every step of the stage (or hook),
     * and a step is visible when it ran before this point.
     */
    record StepView(Map<String, StepFacts> all, StepFacts.Section section, int order) {
        /** After all main steps: outputs and verify checks. */
        static StepView afterMain(Map<String, StepFacts> all) {
            return new StepView(all, StepFacts.Section.MAIN, Integer.MAX_VALUE);
        }

        boolean visible(StepFacts step) {
            if (step.section() == section) {
                return step.order() < order;
            }
            return step.section() == StepFacts.Section.MAIN && section != StepFacts.Section.HOOK;
        }
    }
}
