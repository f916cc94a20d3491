package dev.pipe.engine.deploy;

import dev.pipe.engine.journal.FileNames;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an environment's state lives, {@code <state>/environments/<env>/}:
 * <pre>
 * history.jsonl     every deployment attempt, one JSON object per line ({@link Ledger})
 * history.lock      locked while a process appends to history.jsonl; never read
 * lock/queue.json   the queue of runs waiting for the environment ({@link EnvironmentLock})
 * lock/queue.lock   locked while a process reads or changes queue.json; never read
 * </pre>
 * The directory name is the environment's name encoded by {@link FileNames}, as run logs are.
 */
public record EnvironmentDir(String name, Path dir) {
    public EnvironmentDir {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
    }

    /** The directory of {@code environment} under a state directory such as {@code .pipe}. */
    public static EnvironmentDir of(Path stateDir, String environment) {
        return new EnvironmentDir(environment, environments(stateDir).resolve(FileNames.encode(environment)));
    }

    /** {@code <state>/environments}. */
    public static Path environments(Path stateDir) {
        return stateDir.resolve("environments");
    }

    public Path history() {
        return dir.resolve("history.jsonl");
    }

    public Path historyLock() {
        return dir.resolve("history.lock");
    }

    public Path lockDir() {
        return dir.resolve("lock");
    }

    public Path queue() {
        return lockDir().resolve("queue.json");
    }

    public Path queueLock() {
        return lockDir().resolve("queue.lock");
    }
}
