package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.StepFunction;
import java.nio.file.Path;
import java.util.List;

/** The built-in steps that pipe runs itself, besides {@code sh}, which runs on the stage's runner. */
public final class StepFunctions {
    private StepFunctions() {
    }

    /**
     * Every step function this version can run, for telling which calls a plan can run. Those
     * that keep files for a run (artifacts, the cache) fail when called from this set.
     */
    public static List<StepFunction> all() {
        return all(null);
    }

    /** A fresh set of every step function, for one run: artifacts and the cache live in {@code place}. */
    public static List<StepFunction> all(RunPlace place) {
        return List.of(new NotifyWebhook(), new Http(), new Wait(), new GitTag(place), new ReleaseChangelog(place),
                new ReleaseNextVersion(place), new ArtifactSave(place), new ArtifactRestore(place), new Cache(place));
    }

    /**
     * Like {@link #all(RunPlace)}, for the run {@code runId} of the state folder {@code stateDir},
     * planned for {@code commit} (null when unknown).
     */
    public static List<StepFunction> forRun(Path stateDir, String runId, String commit) {
        return all(new RunPlace(stateDir, runId, commit));
    }
}
