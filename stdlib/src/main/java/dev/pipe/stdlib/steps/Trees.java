package dev.pipe.stdlib.steps;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/** Copying and removing files and folders for artifacts and the cache. */
final class Trees {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Trees() {
    }

    /** Why {@code name} cannot name an artifact or a cache entry (it becomes a folder name), or null. */
    static String badName(String what, String name) {
        if (name == null || name.isBlank()) {
            return what + " is empty";
        }
        return NAME.matcher(name).matches() ? null
                : what + " `" + name + "` may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit";
    }

    /**
     * A path the step names, inside its folder: relative, and not leading out with {@code ..}, so
     * that restoring never writes outside the checkout.
     *
     * @throws IllegalArgumentException with a sentence for the step's failure
     */
    static Path inside(Path workdir, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the path is empty");
        }
        Path p = Path.of(path.strip());
        if (p.isAbsolute()) {
            throw new IllegalArgumentException("`" + path + "` is absolute; name it relative to the step's folder");
        }
        Path resolved = workdir.resolve(p).normalize();
        if (!resolved.startsWith(workdir.normalize()) || resolved.equals(workdir.normalize())) {
            throw new IllegalArgumentException("`" + path + "` is not inside the step's folder");
        }
        return resolved;
    }

    /** Copies a file or a folder (recursively), keeping permissions and times; symbolic links are copied as links. */
    static long copy(Path from, Path to) throws IOException {
        long[] files = {0};
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
            return 1;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                files[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        return files[0];
    }

    /** Removes a file or a folder and everything in it; nothing when it is not there. */
    static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A sibling of {@code target} to build into before moving it into place in one step. */
    static Path staging(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
    }

    /** Moves a finished staging folder into place, replacing what was there. */
    static void replace(Path staged, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            delete(old);
        }
    }
}
