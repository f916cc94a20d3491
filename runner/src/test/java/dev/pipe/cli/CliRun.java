package dev.pipe.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs the pipe command through its seam and captures what it printed. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        return of(Map.of(), args);
    }

    static CliRun of(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The repository root: the folder holding examples/. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /**
     * Copies examples/NAME to {@code to}, leaving out the top-level entries named in {@code skip}
     * (what trying the example by hand leaves there: its state, its build output).
     */
    static void copyExample(String name, Path to, String... skip) throws java.io.IOException {
        Path from = root().resolve("examples").resolve(name);
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                Path rel = from.relativize(f);
                if (java.util.Arrays.stream(skip).anyMatch(rel::startsWith)) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Whether {@code program} is an executable in one of PATH's folders. */
    static boolean onPath(String program) {
        return java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
