package dev.pipe.runner.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder where a run notes the session of every step that is running, one file per session
 * leader ({@code <pid>} holding its start time). If pipe itself is killed with SIGKILL it cannot
 * stop its steps, which lead sessions of their own; the next `pipe resume` reads the folder and
 * ends what is left before it runs anything, so no step runs twice at the same time.
 */
public final class Sessions {
    private final Path dir;
    private volatile boolean made;

    public Sessions(Path dir) {
        this.dir = dir;
    }

    /** Notes the session led by {@code pid}; {@code leader} is null when it has ended already (its session may live on). */
    void started(long pid, ProcessHandle leader) {
        try {
            if (!made) {
                Files.createDirectories(dir);
                made = true;
            }
            Files.writeString(dir.resolve(Long.toString(pid)), leader == null ? "?" : startOf(leader));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot note the step's process in " + dir, e);
        }
    }

    void ended(long pid) {
        try {
            Files.deleteIfExists(dir.resolve(Long.toString(pid)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clear the step's process note in " + dir, e);
        }
    }

    /**
     * Kills (SIGKILL) every process of every session noted here whose leader is still the process
     * that was noted (same pid and start time), and clears the notes.
     *
     * @return how many processes were killed
     */
    public int reap() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> notes;
        try (Stream<Path> files = Files.list(dir)) {
            notes = files.toList();
        }
        int killed = 0;
        for (Path note : notes) {
            long leader;
            try {
                leader = Long.parseLong(note.getFileName().toString());
            } catch (NumberFormatException e) {
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(leader);
            boolean same = h.isPresent() && startOf(h.get()).equals(Files.readString(note));
            if (same || h.isEmpty()) {
                killed += killSession(leader);
            }
            Files.deleteIfExists(note);
        }
        return killed;
    }

    /** Every process whose session is {@code sid}; the leader may already be gone while members live on. */
    private static int killSession(long sid) throws IOException {
        List<ProcessHandle> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                ProcTable.stat(pid).filter(s -> s.session() == sid).flatMap(s -> ProcessHandle.of(pid))
                        .ifPresent(members::add);
            }
        }
        members.forEach(ProcessHandle::destroyForcibly);
        return members.size();
    }

    /**
     * What tells this process from a later one with the same pid: its start time in clock ticks
     * since boot, read from /proc (far cheaper than {@link ProcessHandle#info()}, which reads
     * several files), or the JVM's start instant where /proc cannot tell.
     */
    private static String startOf(ProcessHandle h) {
        return ProcTable.startTicks(h.pid()).map(t -> "ticks " + t)
                .orElseGet(() -> h.info().startInstant().map(Object::toString).orElse("?"));
    }
}
