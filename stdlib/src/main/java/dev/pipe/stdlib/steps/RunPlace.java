package dev.pipe.stdlib.steps;

import java.nio.file.Path;

/**
 * Where a run keeps what its steps leave for later: the state folder ({@code .pipe} by default)
 * and the run's id, for artifacts ({@code STATE/artifacts/RUN/}) and the cache ({@code STATE/cache/}).
 */
public record RunPlace(Path stateDir, String runId) {
    public Path artifacts() {
        return stateDir.resolve("artifacts").resolve(runId);
    }

    public Path cache() {
        return stateDir.resolve("cache");
    }
}
