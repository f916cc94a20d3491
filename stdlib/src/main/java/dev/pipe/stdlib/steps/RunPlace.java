package dev.pipe.stdlib.steps;

import java.nio.file.Path;

/**
 * Where a run keeps what its steps leave for later, and what it builds: the state folder
 * ({@code .pipe} by default), the run's id, for artifacts ({@code STATE/artifacts/RUN/}) and the
 * cache ({@code STATE/cache/}), and the commit the run was planned for.
 *
 * @param commit the run's {@code git.sha}, or null when unknown: the git steps tag and count
 *     from it, so that a run resumed after new commits still releases the commit it started with
 */
public record RunPlace(Path stateDir, String runId, String commit) {
    public RunPlace(Path stateDir, String runId) {
        this(stateDir, runId, null);
    }

    public Path artifacts() {
        return stateDir.resolve("artifacts").resolve(runId);
    }

    public Path cache() {
        return stateDir.resolve("cache");
    }
}
