package dev.pipe.runner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run notes the session of every step that is running: a file of lines, {@code + PID
 * START} when a step's shell starts (its pid and start time, so that a reused pid is not taken
 * for it) and {@code - PID} when the step is over. If pipe itself is killed with SIGKILL it cannot
 * stop its steps, which lead sessions of their own; the next `pipe resume` reads the file and
 * ends what is left before it runs anything, so no step runs twice at the same time.
 *
 * <p>Appending a line costs far less than the file per session that earlier versions made and
 * deleted (two inode operations per step); a folder of such notes is still read by {@link #reap}.
 * A torn last line, from a kill in the middle of a write, is ignored.
 */
public final class Sessions {
    private final Path dir;
    private final Path log;
    /**
     * Guarded by {@code this}. A stream rather than a channel: the lines are short ASCII, and the
     * stream hands them to the system in one call, where a channel first copies them into a
     * buffer of its own (this runs twice per step).
     */
    private java.io.FileOutputStream out;

    /** @param dir where the notes go: the file {@code DIR.log} (and, from earlier versions, the folder DIR) */
    public Sessions(Path dir) {
        this.dir = dir;
        this.log = dir.resolveSibling(dir.getFileName() + ".log");
    }

    /** Notes the session led by {@code pid}; {@code leader} is null when it has ended already (its session may live on). */
    void started(long pid, ProcessHandle leader) {
        append("+ " + pid + " " + (leader == null ? "?" : startOf(leader)) + "\n");
    }

    void ended(long pid) {
        append("- " + pid + "\n");
    }

    private synchronized void append(String line) {
        try {
            if (out == null) {
                out = new java.io.FileOutputStream(log.toFile(), true);
            }
            out.write(line.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot note the step's process in " + log, e);
        }
    }

    /** Closes the file; a later note opens it again. */
    synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing was lost: every note was written when it was made
            }
            out = null;
        }
    }

    /** The leaders noted as started and not noted as ended, with their start times as noted. */
    public Map<Long, String> open() throws IOException {
        Map<Long, String> notes = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path note : files.toList()) {
                    try {
                        notes.put(Long.parseLong(note.getFileName().toString()), Files.readString(note));
                    } catch (NumberFormatException | IOException e) {
                        // not a note, or gone meanwhile
                    }
                }
            }
        }
        if (Files.isRegularFile(log)) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            // Only whole lines: the last one may have been torn by a kill.
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                String[] f = line.split(" ", 3);
                try {
                    if (f.length == 3 && f[0].equals("+")) {
                        notes.put(Long.parseLong(f[1]), f[2]);
                    } else if (f.length == 2 && f[0].equals("-")) {
                        notes.remove(Long.parseLong(f[1]));
                    }
                } catch (NumberFormatException e) {
                    // not a note
                }
            }
        }
        return notes;
    }

    /**
     * Kills (SIGKILL) every process of every session noted here whose leader is still the process
     * that was noted (same pid and start time), or is gone (its session may live on), and clears
     * the notes.
     *
     * @return how many processes were killed
     */
    public int reap() throws IOException {
        int killed = 0;
        for (Map.Entry<Long, String> note : open().entrySet()) {
            long leader = note.getKey();
            Optional<ProcessHandle> h = ProcessHandle.of(leader);
            boolean same = h.isPresent() && startOf(h.get()).equals(note.getValue());
            if (same || h.isEmpty()) {
                killed += killSession(leader);
            }
        }
        close();
        Files.deleteIfExists(log);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path note : files.toList()) {
                    Files.deleteIfExists(note);
                }
            }
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
