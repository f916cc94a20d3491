package dev.pipe.stdlib.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.eval.Glob;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code cache key: "npm" files: ["package-lock.json"] paths: ["node_modules"]}: restores folders
 * saved by an earlier run under the same key, or, when there is none, saves them once the stage's
 * steps have all succeeded.
 *
 * <p>The key: the {@code key} text, followed, when {@code files} is given, by a hash of those
 * files' names and contents ({@code files} are paths or globs relative to the step's folder, and
 * each must match a file, so that a typo does not make a key that never changes). So
 * {@code key: "npm-${git.branch}" files: ["package-lock.json"]} changes when the lock file does.
 * Outputs: {@code hit} ("true" or "false") and {@code key}, the full key.
 *
 * <p>Entries live in {@code STATE/cache/}, shared by every run of the state folder, and are never
 * replaced: the first run to save a key wins, and a later save of a key that exists does
 * nothing. A cache is only a shortcut, so a save that fails (a full disk) is a warning in the
 * step's log, not a failure of the stage. To drop the cache, delete the folder.
 */
public final class Cache implements StepFunction {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "cache.json";
    private static final String PATHS = "paths";

    private final RunPlace place;

    public Cache(RunPlace place) {
        this.place = place;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
        if (place == null || args.workdir() == null) {
            return Result.failed("the cache needs a run: its state folder");
        }
        String key = args.named("key");
        if (key == null || key.isBlank()) {
            return Result.failed("the cache key is empty");
        }
        Path workdir = args.workdir().normalize();
        List<String> paths = args.list("paths");
        if (paths == null || paths.isEmpty()) {
            return Result.failed("paths is empty: name the files and folders to cache");
        }
        List<Path> targets = new ArrayList<>();
        for (String p : paths) {
            try {
                targets.add(Trees.inside(workdir, p));
            } catch (IllegalArgumentException e) {
                return Result.failed("paths: " + e.getMessage());
            }
        }
        String fullKey = key.strip();
        List<String> files = args.list("files");
        if (files != null && !files.isEmpty()) {
            try {
                fullKey += "-" + hash(workdir, files);
            } catch (IllegalArgumentException e) {
                return Result.failed("files: " + e.getMessage());
            } catch (IOException e) {
                return Result.failed("the files of the cache key could not be read: " + e.getMessage());
            }
        }
        Path entry = place.cache().resolve(folder(fullKey));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("key", fullKey);
        if (Files.isRegularFile(entry.resolve(META))) {
            try {
                long n = restore(entry, workdir);
                log.write(OutputSink.Stream.STDOUT, "cache hit for " + fullKey + ": restored " + n + " file"
                        + (n == 1 ? "" : "s") + "\n");
                outputs.put("hit", "true");
                return Result.ok(outputs);
            } catch (IOException e) {
                return Result.failed("the cache entry " + fullKey + " could not be restored: " + e.getMessage());
            }
        }
        log.write(OutputSink.Stream.STDOUT, "cache miss for " + fullKey + ": "
                + String.join(", ", paths) + " will be saved when the stage's steps have succeeded\n");
        String saveKey = fullKey;
        args.afterSteps("save cache", (out, c) -> save(entry, saveKey, workdir, paths, targets, out));
        outputs.put("hit", "false");
        return Result.ok(outputs);
    }

    /** The entry's folder: the key made safe for a file name, and a hash of the key itself so that two keys never share one. */
    static String folder(String key) {
        String safe = key.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 80) {
            safe = safe.substring(0, 80);
        }
        return safe + "-" + sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** The first 16 hex digits of a SHA-256 over the matched files' paths and contents, in path order. */
    static String hash(Path workdir, List<String> patterns) throws IOException {
        TreeSet<String> matched = new TreeSet<>();
        for (String pattern : patterns) {
            List<String> found = match(workdir, pattern.strip());
            if (found.isEmpty()) {
                throw new IllegalArgumentException("nothing in " + workdir + " matches `" + pattern + "`");
            }
            matched.addAll(found);
        }
        MessageDigest md = digest();
        byte[] buffer = new byte[65536];
        for (String file : matched) {
            md.update(file.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            try (InputStream in = Files.newInputStream(workdir.resolve(file))) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, n);
                }
            }
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static List<String> match(Path workdir, String pattern) throws IOException {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            Path file = Trees.inside(workdir, pattern);
            return Files.isRegularFile(file) ? List.of(workdir.relativize(file).toString().replace('\\', '/')) : List.of();
        }
        Glob glob = Glob.compile(pattern);
        List<String> out = new ArrayList<>();
        Files.walkFileTree(workdir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return !dir.equals(workdir) && (name.equals(".git") || name.equals(".pipe"))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = workdir.relativize(file).toString().replace('\\', '/');
                if (attrs.isRegularFile() && glob.matches(rel)) {
                    out.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static long restore(Path entry, Path workdir) throws IOException {
        JsonNode meta = JSON.readTree(entry.resolve(META).toFile());
        long n = 0;
        for (JsonNode p : meta.path("paths")) {
            Path saved = entry.resolve(PATHS).resolve(p.asText());
            if (Files.exists(saved, LinkOption.NOFOLLOW_LINKS)) {
                n += Trees.copy(saved, Trees.inside(workdir, p.asText()));
            }
        }
        return n;
    }

    private Result save(Path entry, String key, Path workdir, List<String> paths, List<Path> targets, OutputSink log) {
        if (Files.exists(entry)) {
            log.write(OutputSink.Stream.STDOUT, "cache " + key + " was saved meanwhile by another run; kept that one\n");
            return Result.ok(Map.of());
        }
        Path staged = null;
        try {
            staged = Trees.staging(entry);
            List<String> kept = new ArrayList<>();
            long n = 0;
            for (int i = 0; i < targets.size(); i++) {
                Path t = targets.get(i);
                if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    log.write(OutputSink.Stream.STDOUT, paths.get(i) + " does not exist; not cached\n");
                    continue;
                }
                String rel = workdir.relativize(t).toString().replace('\\', '/');
                n += Trees.copy(t, staged.resolve(PATHS).resolve(rel));
                kept.add(rel);
            }
            if (kept.isEmpty()) {
                Trees.delete(staged);
                log.write(OutputSink.Stream.STDOUT, "nothing to cache for " + key + "\n");
                return Result.ok(Map.of());
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("key", key);
            meta.put("paths", kept);
            meta.put("files", n);
            meta.put("run", place.runId());
            JSON.writerWithDefaultPrettyPrinter().writeValue(staged.resolve(META).toFile(), meta);
            try {
                Files.move(staged, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                Trees.delete(staged);
                log.write(OutputSink.Stream.STDOUT, "cache " + key + " was saved meanwhile by another run; kept that one\n");
                return Result.ok(Map.of());
            }
            log.write(OutputSink.Stream.STDOUT, "saved cache " + key + " (" + n + " file" + (n == 1 ? "" : "s") + ")\n");
        } catch (IOException e) {
            log.write(OutputSink.Stream.STDERR, "warning: cache " + key + " was not saved: " + e.getMessage() + "\n");
            try {
                if (staged != null) {
                    Trees.delete(staged);
                }
            } catch (IOException ignored) {
                // a leftover temporary folder in the cache; the next save starts afresh
            }
        }
        return Result.ok(Map.of());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }
}
