package dev.pipe.engine.journal;

import java.nio.file.Path;

/**
 * Run by {@link RunLockTest} in a second JVM: takes the lock given as its argument, says
 * {@code locked} (or {@code refused}) on stdout and holds it until its stdin closes or it is killed.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (var lock = RunLock.tryAcquire(Path.of(args[0])).orElse(null)) {
            System.out.println(lock == null ? "refused" : "locked");
            System.out.flush();
            if (lock != null) {
                while (System.in.read() >= 0) {
                    // Hold the lock until the parent closes our stdin.
                }
            }
        }
    }
}
