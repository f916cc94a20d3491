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

    /**
     * Every built-in step function, for telling which calls a plan can run. Those that keep
     * files for a run (artifacts, the cache) fail when called from this set.
     */
    public static List<StepFunction> all() {
        return all(null);
    }

    /** A fresh set of every built-in step function, for one run: artifacts and the cache live in {@code place}. */
    public static List<StepFunction> all(RunPlace place) {
        return List.of(new NotifyWebhook(), new Http(), new Wait(), new GitTag(place), new ReleaseChangelog(place),
                new ReleaseNextVersion(place), new ArtifactSave(place), new ArtifactRestore(place), new Cache(place));
    }

    /**
     * The built-in step functions and those of the JavaScript modules {@code program} imports.
     * GraalVM is loaded only when there is such a module.
     *
     * @param pipeFile the .pipe file, named as the checker was given it
     */
    public static List<StepFunction> all(Path pipeFile, Program program) {
        return forRun(null, pipeFile, program);
    }

    /**
     * Like {@link #all(Path, Program)}, for one run: its state folder, id and commit.
     *
     * @param place where the run keeps artifacts and the cache, and its commit; null outside a run
     */
    public static List<StepFunction> forRun(RunPlace place, Path pipeFile, Program program) {
        if (!JsModules.imports(program)) {
            return all(place);
        }
        List<StepFunction> out = new ArrayList<>(all(place));
        out.addAll(JsModules.functions(pipeFile, program));
        return out;
    }
}
