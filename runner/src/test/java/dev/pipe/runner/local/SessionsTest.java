package dev.pipe.runner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The run's notes of running sessions: what is open, a torn line, and reaping a left-over session. */
@EnabledOnOs(OS.LINUX)
class SessionsTest {
    @TempDir
    Path dir;

    @Test
    void onlySessionsStartedAndNotEndedAreOpenAndATornLastLineIsIgnored() throws Exception {
        Sessions s = new Sessions(dir.resolve("sessions"));
        s.started(101, null);
        s.started(102, null);
        s.ended(101);
        s.close();
        Files.writeString(dir.resolve("sessions.log"), "+ 103 ?", StandardOpenOption.APPEND);
        assertEquals(List.of(102L), List.copyOf(s.open().keySet()));
    }

    @Test
    void reapKillsWhatIsLeftOfANotedSessionAndClearsTheNotes() throws Exception {
        String marker = Procs.marker();
        // A session leader that is still running, with a child of its own, as a killed pipe leaves them.
        Process leader = new ProcessBuilder("setsid", "bash", "-c", "(exec -a " + marker + " sleep 1000) & exec -a "
                + marker + " sleep 1000").start();
        try {
            assertEquals(2, Procs.awaitNamed(marker, 2, java.time.Duration.ofSeconds(5)));
            // setsid made bash, now the first sleep, the leader of a session of its own.
            long sid = leader.pid();
            assertEquals(sid, ProcTable.stat(sid).orElseThrow().session());
            Sessions s = new Sessions(dir.resolve("sessions"));
            s.started(sid, ProcessHandle.of(sid).orElse(null));
            s.close();
            assertEquals(2, new Sessions(dir.resolve("sessions")).reap());
            assertTrue(leader.waitFor(5, TimeUnit.SECONDS), "the leader was not killed");
            long until = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
            while (!Procs.mentioning(marker).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(List.of(), Procs.mentioning(marker));
            assertFalse(Files.exists(dir.resolve("sessions.log")));
        } finally {
            Procs.killMentioning(marker);
            leader.destroyForcibly();
        }
    }
}
