package dev.pipe.runner.local;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Linux's process table as /proc shows it. Every read tolerates processes that vanish midway:
 * a process that is gone is simply not listed.
 */
final class ProcTable {
    private static final Path PROC = Path.of("/proc");
    /** Up to this many ids given out since a command started, {@link #createdSince} asks for each instead of listing /proc. */
    private static final int PROBE = 64;

    private ProcTable() {
    }

    /** The fields of /proc/PID/stat that tell where a process belongs. */
    record Stat(long pid, char state, long ppid, long pgrp, long session) {
        boolean zombie() {
            return state == 'Z' || state == 'X' || state == 'x';
        }
    }

    /**
     * Whether /proc has no entry for {@code pid}: asked before opening one of its files, since a
     * failed open throws, and an exception costs more than the read (most ids probed after a
     * command are of processes already gone). The JDK answers this without an exception.
     */
    private static boolean gone(long pid) {
        return !Files.exists(Path.of("/proc/" + pid));
    }

    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    static Optional<Stat> stat(long pid) {
        if (gone(pid)) {
            return Optional.empty();
        }
        byte[] buf = new byte[1024];
        int n;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            n = in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name sits in parentheses and may itself hold spaces and ')'.
        String line = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            return Optional.empty();
        }
        String[] f = line.substring(close + 2).split(" ", 5);
        if (f.length < 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * How many processes the system had created at some moment before a command started (-1 when
     * unknown), the length of the id cycle, and that moment ({@link System#nanoTime}). It bounds
     * which processes can have been created since.
     */
    record Mark(long forks, long pidMax, long readAt) {
    }

    /**
     * More ids than any Linux system hands out in a second (pid allocation is serialized by one
     * lock in the kernel; busy machines manage a few tens of thousands a second). Until the
     * cycle of ids could have been gone round at this rate, the fork count need not be asked.
     */
    private static final long MAX_IDS_PER_SECOND = 1_000_000;

    /**
     * The mark for a command about to start. It costs nothing: the fork count is the latest one
     * any command read, which is never more than the count now (it only grows), so the bound it
     * gives {@link #createdSince} is at worst a little too cautious. Reading /proc/stat, a file
     * the kernel writes out afresh for every read, costs about a tenth of a millisecond: too much
     * for every command.
     */
    static Mark mark() {
        Forks latest = lastForks;
        if (latest == null) {
            forks();
            latest = lastForks;
            if (latest == null) {
                return new Mark(-1, PidMax.VALUE, System.nanoTime());
            }
        }
        return new Mark(latest.count(), PidMax.VALUE, latest.readAt());
    }

    /** A fork count, and when it was read ({@link System#nanoTime}). */
    private record Forks(long count, long readAt) {
    }

    /** The latest fork count read, or null. */
    private static volatile Forks lastForks;

    /** pid_max, read once: it does not change while pipe runs, as far as it matters here. */
    private static final class PidMax {
        static final long VALUE = pidMax();
    }

    /**
     * The ids of the live processes that may have been created after {@code firstPid} was given
     * out (which happened after {@code mark}), plus {@code firstPid} itself. Process ids are
     * handed out in a cycle, so while the system has created fewer processes than the cycle is
     * long, every newer process lies between {@code firstPid} and the last id given out; beyond
     * that, every process is a candidate.
     */
    static List<Long> createdSince(Mark mark, long firstPid) {
        long last = lastPid();
        // Threads take ids from the same cycle, and /proc/stat counts them among the forks too.
        // Soon after the mark's count was read the cycle cannot have been gone round: no need to
        // read the count again (a tenth of a millisecond) to know it.
        long since = System.nanoTime() - mark.readAt();
        long forks = mark.forks() >= 0 && since < (mark.pidMax() - 2000) * (1_000_000_000L / MAX_IDS_PER_SECOND)
                ? mark.forks() : forks();
        // The cycle skips the lowest 300 ids; the rest of the margin is for safety.
        boolean bounded = last > 0 && mark.forks() >= 0 && forks >= 0
                && forks - mark.forks() < mark.pidMax() - 2000;
        List<Long> out = new ArrayList<>();
        long span = last >= firstPid ? last - firstPid : Long.MAX_VALUE;
        if (bounded && span <= PROBE) {
            // Few ids were given out since (a quick command): asking for each is cheaper than listing /proc.
            for (long pid = firstPid; pid <= last; pid++) {
                if (isProcess(pid)) {
                    out.add(pid);
                }
            }
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path entry : dir) {
                long pid = pidOf(entry.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                if (!bounded || pid == firstPid || inCycle(firstPid, last, pid)) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /**
     * Whether {@code pid} is a live process. /proc/ID also answers for the id of a thread, which
     * its listing leaves out: a process is its own thread group.
     */
    static boolean isProcess(long pid) {
        if (gone(pid)) {
            return false;
        }
        byte[] buf = new byte[512];
        int n;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/status")) {
            n = in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            return false;
        }
        String status = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int at = status.indexOf("\nTgid:");
        if (at < 0) {
            return false;
        }
        int end = status.indexOf('\n', at + 6);
        return end > 0 && status.substring(at + 6, end).strip().equals(Long.toString(pid));
    }

    /**
     * When the process started, in clock ticks since boot (field 22 of /proc/PID/stat): with the
     * pid it names one process for good, whatever pid is reused later. Empty when it is gone.
     */
    static Optional<Long> startTicks(long pid) {
        if (gone(pid)) {
            return Optional.empty();
        }
        byte[] buf = new byte[1024];
        int n;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            n = in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        String line = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        // After the name: state is field 3, so start time (22) is the 20th field from there.
        String[] f = line.substring(close + 2).split(" ", 21);
        try {
            return f.length < 21 ? Optional.empty() : Optional.of(Long.parseLong(f[19]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} comes after {@code from} and at or before {@code to} in the id cycle. */
    static boolean inCycle(long from, long to, long pid) {
        return from <= to ? pid > from && pid <= to : pid > from || pid <= to;
    }

    /** The targets of a process's open file descriptors, such as {@code pipe:[1234]}. */
    static List<String> openFiles(long pid) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
            for (Path fd : dir) {
                try {
                    out.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** What a process's file descriptor points at, or null. */
    static String openFile(long pid, int fd) {
        try {
            return Files.readSymbolicLink(PROC.resolve(pid + "/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The "processes" line of /proc/stat, read as bytes; also noted for the next {@link #mark}. */
    private static long forks() {
        long at = System.nanoTime();
        long forks = readForks();
        Forks last = lastForks;
        if (forks >= 0 && (last == null || forks >= last.count())) {
            lastForks = new Forks(forks, at);
        }
        return forks;
    }

    private static long readForks() {
        byte[] stat;
        try (FileInputStream in = new FileInputStream("/proc/stat")) {
            stat = in.readAllBytes();
        } catch (IOException e) {
            return -1;
        }
        String text = new String(stat, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\nprocesses ");
        if (at < 0) {
            return -1;
        }
        int end = text.indexOf('\n', at + 11);
        try {
            return Long.parseLong(text.substring(at + 11, end < 0 ? text.length() : end).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long lastPid() {
        try {
            String[] f = readAtOnce("/proc/loadavg").strip().split(" ");
            return Long.parseLong(f[f.length - 1]);
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static long pidMax() {
        try {
            return Long.parseLong(readAtOnce("/proc/sys/kernel/pid_max").strip());
        } catch (IOException | NumberFormatException e) {
            return 32768;
        }
    }

    /** Reads a small file in one call: sysctl files answer only a read that starts at offset 0. */
    private static String readAtOnce(String file) throws IOException {
        byte[] buf = new byte[256];
        try (FileInputStream in = new FileInputStream(file)) {
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        }
    }
}
