package dev.pipe.runner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Looks for test processes in /proc by a name unique to one test. */
final class Procs {
    private Procs() {
    }

    /**
     * Skips a test of the native spawner where the build could not compile it (no C compiler),
     * and fails it under CI, whose machine has one: there the native spawner must be tested.
     */
    static void requireSpawner(LocalExecutor.Spawning spawning) {
        if (spawning == LocalExecutor.Spawning.NATIVE && Spawner.Program.installed() == null) {
            String why = "the native spawner (runner/target/" + Spawner.NATIVE + ") was not built, so it cannot be"
                    + " tested; the build makes it where a C compiler (cc) is found";
            org.junit.jupiter.api.Assertions.assertNotEquals("true", System.getenv("CI"), why);
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** A fresh name for {@code exec -a NAME sleep ...}, so a test finds exactly its own processes. */
    static String marker() {
        return "pipe-test-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Live processes whose command line mentions {@code marker}, as "pid: command line". */
    static List<String> mentioning(String marker) {
        List<String> found = new ArrayList<>();
        for (long pid : pids()) {
            String cmdline = cmdline(pid);
            if (cmdline.contains(marker) && !zombie(pid)) {
                found.add(pid + ": " + cmdline);
            }
        }
        return found;
    }

    /** How many live processes run under the name {@code marker} (their argv[0]). */
    static int named(String marker) {
        int n = 0;
        for (long pid : pids()) {
            if ((cmdline(pid) + " ").startsWith(marker + " ") && !zombie(pid)) {
                n++;
            }
        }
        return n;
    }

    /** Waits until {@code count} processes run under the name {@code marker}; returns how many there are. */
    static int awaitNamed(String marker, int count, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        int n;
        while ((n = named(marker)) < count && System.nanoTime() < deadline) {
            sleep(10);
        }
        return n;
    }

    /** Children of this JVM, or of the spawner {@code spawner} (-1 for none), that were never reaped. */
    static List<Long> zombieChildren(long spawner) {
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            ProcTable.stat(pid).filter(s -> s.zombie() && (s.ppid() == self || s.ppid() == spawner))
                    .ifPresent(s -> found.add(pid));
        }
        return found;
    }

    /** Kills what a failed test may have left behind, by pid. */
    static void killMentioning(String marker) {
        for (String entry : mentioning(marker)) {
            long pid = Long.parseLong(entry.substring(0, entry.indexOf(':')));
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean zombie(long pid) {
        return ProcTable.stat(pid).map(ProcTable.Stat::zombie).orElse(true);
    }

    private static String cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    out.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }
}
