package dev.pipe.runner.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Reading /proc: which ids are processes, and which processes are new. */
@EnabledOnOs(OS.LINUX)
class ProcTableTest {
    static final long SELF = ProcessHandle.current().pid();

    @Test
    void aThreadIdIsNoProcess() throws IOException {
        long thread;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            thread = tasks.mapToLong(t -> Long.parseLong(t.getFileName().toString())).filter(t -> t != SELF)
                    .findFirst().orElseThrow();
        }
        assertTrue(Files.exists(Path.of("/proc/" + thread)), "/proc answers for a thread id too");
        assertFalse(ProcTable.isProcess(thread));
        assertTrue(ProcTable.isProcess(SELF));
        assertFalse(ProcTable.isProcess(Integer.MAX_VALUE + 10L));
    }

    @Test
    void aProcessStartedAfterTheMarkIsFoundAndAThreadIsNot() throws Exception {
        ProcTable.Mark mark = ProcTable.mark();
        Process p = new ProcessBuilder("sleep", "5").start();
        CountDownLatch over = new CountDownLatch(1);
        Set<Long> before = tasks();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                over.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Set<Long> threads = tasks();
            threads.removeAll(before);
            assertFalse(threads.isEmpty(), "the new thread did not show in /proc/self/task");
            List<Long> found = ProcTable.createdSince(mark, p.pid());
            assertTrue(found.contains(p.pid()), found::toString);
            for (long thread : threads) {
                assertFalse(found.contains(thread), "the thread " + thread + " was taken for a process: " + found);
            }
        } finally {
            over.countDown();
            t.join();
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aMarkTakenLongAfterTheLastReadOfTheForkCountStillFindsNewProcesses() throws Exception {
        ProcTable.mark();
        // Forks since the cached count only widen the bound; the process must still be found.
        for (int i = 0; i < 20; i++) {
            new ProcessBuilder("true").start().waitFor();
        }
        ProcTable.Mark mark = ProcTable.mark();
        Process p = new ProcessBuilder("sleep", "5").start();
        try {
            assertTrue(ProcTable.createdSince(mark, p.pid()).contains(p.pid()));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void theStartTimeTellsAProcessFromALaterOneWithTheSamePid() throws Exception {
        long self = ProcTable.startTicks(SELF).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(self, ProcTable.startTicks(SELF).orElseThrow());
        Process p = new ProcessBuilder("sleep", "5").start();
        try {
            long child = ProcTable.startTicks(p.pid()).orElseThrow();
            assertTrue(child >= self, child + " < " + self);
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertTrue(ProcTable.startTicks(Integer.MAX_VALUE + 10L).isEmpty());
    }

    private static Set<Long> tasks() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Long.parseLong(t.getFileName().toString())).collect(Collectors.toCollection(HashSet::new));
        }
    }
}
