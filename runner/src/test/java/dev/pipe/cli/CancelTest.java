package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to `pipe run`: the running step and its children stop, finally runs, the journal says cancelled. */
class CancelTest {
    @TempDir
    Path dir;

    @Test
    void sigtermCancelsCleanly() throws Exception {
        String marker = "31.4159" + ProcessHandle.current().pid() % 1000;
        Path file = Files.writeString(dir.resolve("c.pipe"), """
                pipeline c
                on push
                stage slow {
                  step "wait" { sh "touch started; sleep %s & sleep %s; wait" }
                  finally {
                    sh "touch finally-ran"
                  }
                }
                stage after {
                  needs [slow]
                  step "never" { sh "touch after-ran" }
                }
                """.formatted(marker, marker));
        Path state = dir.resolve(".pipe");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.pipe.cli.Main", "run", file.toString(),
                "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("started")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(dir.resolve("started")), Files.readString(dir.resolve("out.txt")));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "pipe did not stop after SIGTERM");
        String out = Files.readString(dir.resolve("out.txt"));
        RunState s = new RunStore(state).list().get(0).state();
        assertEquals(RunStatus.CANCELLED, s.status(), out);
        assertTrue(Files.exists(dir.resolve("finally-ran")), "finally did not run\n" + out);
        assertTrue(!Files.exists(dir.resolve("after-ran")), out);
        Thread.sleep(200);
        try (var procs = Files.list(Path.of("/proc"))) {
            long left = procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(d -> {
                        try {
                            return new String(Files.readAllBytes(d.resolve("cmdline"))).contains(marker);
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    }).count();
            assertEquals(0, left, "processes of the cancelled step are still running\n" + out);
        }
    }
}
