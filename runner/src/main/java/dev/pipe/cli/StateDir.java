package dev.pipe.cli;

import dev.pipe.engine.journal.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where runs are kept: {@code --state DIR}, else $PIPE_STATE_DIR, else {@code .pipe/} at the
 * root of the git repository around the current directory (or in the current directory).
 */
final class StateDir {
    @picocli.CommandLine.Option(names = "--state", paramLabel = "DIR",
            description = "Where runs are kept. Default: .pipe/ at the repository root.")
    Path dir;

    /** The run store for this command: the option, else the environment, else the repository. */
    RunStore store(Map<String, String> env) {
        return store(dir, env);
    }

    static RunStore store(Path option, Map<String, String> env) {
        if (option != null) {
            return new RunStore(option);
        }
        String fromEnv = env.get("PIPE_STATE_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new RunStore(Path.of(fromEnv));
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return RunStore.forRepository(p);
            }
        }
        return RunStore.forRepository(cwd);
    }
}
