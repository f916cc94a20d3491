package dev.pipe.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One command for an {@link Executor}: a script for the shell, where to run it, its whole
 * environment (nothing is inherited implicitly), and an optional time limit.
 *
 * @param shell the shell, such as {@code bash}; null for the executor's default
 *     ({@code bash -eo pipefail}, or {@code sh -e} where bash is missing)
 * @param timeout null for no limit
 */
public record ShellCommand(String script, Path workdir, Map<String, String> env, Duration timeout, String shell) {
    public ShellCommand {
        env = Map.copyOf(env);
    }
}
