package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.StepFunction;
import dev.pipe.lang.syntax.Program;
import dev.pipe.stdlib.js.JsModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The built-in steps that pipe runs itself, besides {@code sh}, which runs on the stage's runner. */
public final class StepFunctions {
    private StepFunctions() {
    }

    /** A fresh set of every step function this version can run. */
    public static List<StepFunction> all() {
        return List.of(new NotifyWebhook(), new Http());
    }

    /**
     * The built-in step functions and those of the JavaScript modules {@code program} imports.
     * GraalVM is loaded only when there is such a module.
     *
     * @param pipeFile the .pipe file, named as the checker was given it
     */
    public static List<StepFunction> all(Path pipeFile, Program program) {
        if (!JsModules.imports(program)) {
            return all();
        }
        List<StepFunction> out = new ArrayList<>(all());
        out.addAll(JsModules.functions(pipeFile, program));
        return out;
    }
}
