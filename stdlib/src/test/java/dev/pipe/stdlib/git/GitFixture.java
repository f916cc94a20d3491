package dev.pipe.stdlib.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real git repository for tests, made with the git command (as users make theirs), with a fixed
 * identity and no global or system configuration, so that results do not depend on the machine.
 */
public final class GitFixture {
    public final Path dir;

    private GitFixture(Path dir) {
        this.dir = dir;
    }

    /** A new repository whose first branch is {@code main}. */
    public static GitFixture init(Path dir) {
        GitFixture f = new GitFixture(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        f.git("init", "-q", "-b", "main");
        return f;
    }

    /** A repository that already exists, such as a clone or a worktree. */
    public static GitFixture at(Path dir) {
        return new GitFixture(dir);
    }

    public GitFixture write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Commits everything in the folder; returns the new commit's sha. */
    public String commit(String message) {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return git("rev-parse", "HEAD");
    }

    /** Writes one file and commits it with the message. */
    public String change(String path, String message) {
        write(path, message + "\n");
        return commit(message);
    }

    /** Runs git in the repository; returns its output, stripped. Fails the test when git fails. */
    public String git(String... args) {
        return run(dir, args);
    }

    public static String run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_AUTHOR_NAME", "Ada Lovelace");
        env.put("GIT_AUTHOR_EMAIL", "ada@example.com");
        env.put("GIT_COMMITTER_NAME", "Ada Lovelace");
        env.put("GIT_COMMITTER_EMAIL", "ada@example.com");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ":\n" + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
