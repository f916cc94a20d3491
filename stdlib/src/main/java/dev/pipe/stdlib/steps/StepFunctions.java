package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.StepFunction;
import java.util.List;

/** The built-in steps that pipe runs itself, besides {@code sh}, which runs on the stage's runner. */
public final class StepFunctions {
    private StepFunctions() {
    }

    /** A fresh set of every step function this version can run. */
    public static List<StepFunction> all() {
        return List.of(new NotifyWebhook(), new Http());
    }
}
