package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One driver per run: the lock refuses a second holder, in this JVM and in another process. */
class RunLockTest {
    @TempDir
    Path repo;

    private static Process holder(Path lock) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), lock.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String firstLine(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return out.readLine();
    }

    @Test
    void anotherProcessHoldingTheLockIsRefusedUntilItDies() throws Exception {
        RunDir run = RunStore.forRepository(repo).create();
        Process other = holder(run.lock());
        try {
            assertEquals("locked", firstLine(other));
            assertEquals(Optional.empty(), RunLock.tryAcquire(run.lock()));
            RunLockedException e = assertThrows(RunLockedException.class, () -> RunLock.acquire(run));
            assertEquals(other.pid(), e.holder().orElseThrow());
            assertEquals("run " + run.id() + " is being driven by pipe process " + other.pid()
                    + "; wait for it to end, or stop it first.", e.getMessage());
        } finally {
            // As kill -9 would: the operating system releases the lock of a dead process.
            other.destroyForcibly();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        }
        try (RunLock lock = RunLock.acquire(run)) {
            assertEquals(ProcessHandle.current().pid(), RunLock.holder(run.lock()).orElseThrow());
            Process refused = holder(run.lock());
            assertEquals("refused", firstLine(refused));
            assertTrue(refused.waitFor(30, TimeUnit.SECONDS));
            assertEquals(run.lock(), lock.file());
        }
    }

    @Test
    void inOneJvmTheLockIsHeldUntilClosed() throws IOException {
        Path file = repo.resolve("lock");
        RunLock first = RunLock.tryAcquire(file).orElseThrow();
        assertEquals(Optional.empty(), RunLock.tryAcquire(file));
        assertEquals(Optional.empty(), RunLock.tryAcquire(repo.resolve("x/../lock")));
        first.close();
        first.close();
        try (RunLock again = RunLock.tryAcquire(file).orElseThrow()) {
            assertTrue(Files.exists(again.file()));
        }
    }

    @Test
    void theLockIsKeptAfterTheRun() throws IOException {
        Path file = repo.resolve("lock");
        RunLock.tryAcquire(file).orElseThrow().close();
        assertTrue(Files.exists(file), "deleting it could let two processes lock two files of one name");
    }
}
