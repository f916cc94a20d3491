package dev.pipe.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The right to drive a run: an exclusive lock on {@code .pipe/runs/<id>/lock}. {@code pipe run}
 * takes it when it creates the run and {@code pipe resume} before it touches the journal, so a
 * run that a live process is still driving cannot be resumed a second time.
 *
 * <p>The operating system releases the lock when the process ends, however it ends (kill -9
 * included), so a lock is never left behind by a dead process. Within one JVM the lock counts
 * as held too: a second {@link #tryAcquire} of the same file is refused until {@link #close}.
 * Locks are held until closed even if their object is forgotten.
 *
 * <p>The lock file stays after the run: deleting it could let two processes lock two different
 * files of the same name. It holds the pid of the last holder, for messages.
 *
 * <p><b>Never open the lock file of a run this process drives</b> (to read it, copy it, scan
 * {@code .pipe/} for secrets): on Linux and macOS closing <em>any</em> descriptor of a file
 * releases the process's lock on it, so the run would silently become resumable by another
 * process. {@link #holder} knows not to.
 */
public final class RunLock implements AutoCloseable {
    /** Strong references: a forgotten lock must not be released when its channel is collected. */
    private static final Set<RunLock> HELD = ConcurrentHashMap.newKeySet();
    private static final Set<Path> HELD_PATHS = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, Path key, FileChannel channel, FileLock lock) {
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of a run. */
    public static RunLock acquire(RunDir run) throws IOException {
        return tryAcquire(run.lock()).orElseThrow(() -> {
            OptionalLong pid = holder(run.lock());
            String who = pid.isPresent() ? "pipe process " + pid.getAsLong() : "another pipe process";
            return new RunLockedException("run " + run.id() + " is being driven by " + who
                    + "; wait for it to end, or stop it first.", pid);
        });
    }

    /** Takes the lock in {@code file} (created if missing), or returns empty when it is held, here or elsewhere. */
    public static Optional<RunLock> tryAcquire(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        if (!HELD_PATHS.add(key)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                HELD_PATHS.remove(key);
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            RunLock held = new RunLock(file, key, channel, lock);
            HELD.add(held);
            return Optional.of(held);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD_PATHS.remove(key);
            throw e;
        }
    }

    /** The pid written by the process that holds (or last held) the lock, if readable. */
    public static OptionalLong holder(Path file) {
        if (HELD_PATHS.contains(file.toAbsolutePath().normalize())) {
            // Reading would open and close the file, and closing any descriptor of a file drops
            // the process's POSIX lock on it.
            return OptionalLong.of(ProcessHandle.current().pid());
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public Path file() {
        return file;
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        if (!HELD.remove(this)) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
            HELD_PATHS.remove(key);
        }
    }
}
