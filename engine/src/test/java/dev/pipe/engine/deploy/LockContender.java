package dev.pipe.engine.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Run by {@link EnvironmentLockProcessTest} in other JVMs:
 * {@code LockContender STATE ENV RUN LOG hold|brief}. Takes the environment's lock for stage
 * {@code deploy} of run {@code RUN}, printing {@code waiting <holder run> <holder pid>} whenever
 * it is told who holds it and {@code holding} once it does. While holding it appends
 * {@code start RUN <time>} and {@code end RUN <time>} lines to {@code LOG}: with {@code hold} it
 * holds until its stdin closes, with {@code brief} for a moment, long enough that another
 * holder at the same time would show in the log.
 */
public final class LockContender {
    private LockContender() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        String env = args[1];
        String run = args[2];
        Path log = Path.of(args[3]);
        boolean hold = args[4].equals("hold");
        EnvironmentLock lock = new EnvironmentLock(state, env, java.time.Clock.systemUTC(), java.time.Duration.ofMillis(20));
        try (EnvironmentLock.Held held = lock.acquire(run, "deploy", () -> false, w -> {
            System.out.println("waiting " + w.holder().runId() + " " + w.holder().pid() + " ahead " + w.ahead());
            System.out.flush();
        })) {
            append(log, "start " + run + " " + Instant.now());
            System.out.println("holding " + held.ticket().seq());
            System.out.flush();
            if (hold) {
                while (System.in.read() >= 0) {
                    // Hold the lock until the test closes our stdin, or kills us.
                }
            } else {
                Thread.sleep(40);
            }
            append(log, "end " + run + " " + Instant.now());
        }
        System.out.println("released");
    }

    private static void append(Path log, String line) throws java.io.IOException {
        Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
