package dev.pipe.engine.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A short critical section shared by every thread and process on the machine: a lock in this
 * JVM, then an exclusive {@link FileLock} on a file that is opened for nothing else.
 *
 * <p>The lock in this JVM comes first for two reasons: {@link FileChannel#lock} refuses a second
 * lock of the same file from the same JVM (it throws rather than waits), and on Linux and macOS
 * closing <em>any</em> descriptor of a file drops the process's lock on it, so a second thread
 * must not even open the file while the first holds it.
 */
final class FileMutex {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private FileMutex() {
    }

    interface Body<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the lock of {@code file}, which is created (with its directory) if missing. */
    static <T> T with(Path file, Body<T> body) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return body.run();
            }
            Files.createDirectories(key.getParent());
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return body.run();
                } finally {
                    lock.release();
                }
            }
        } finally {
            local.unlock();
        }
    }
}
