package dev.pipe.runner.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the programs a command line needs: the shell, and setsid to give the command its own session. */
final class Shells {
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin");

    /** A program that could not be found; the message says which and where pipe looked. */
    static final class NotFound extends Exception {
        NotFound(String message) {
            super(message);
        }
    }

    private final String bash;
    private final String sh;
    private final String setsid;

    Shells() {
        String path = System.getenv("PATH");
        this.bash = find("bash", path);
        this.sh = find("sh", path);
        // Without /proc the session's members cannot be found, so a session of its own buys nothing.
        this.setsid = ProcTable.available() ? find("setsid", path) : null;
    }

    boolean ownSession() {
        return setsid != null;
    }

    /**
     * The argument list that runs {@code script}: {@code [setsid] SHELL FLAGS -c SCRIPT}.
     *
     * @param shell the shell a step asked for, or null for bash (sh where bash is missing)
     * @param envPath the PATH the command gets, searched before pipe's own for a named shell
     * @param withSetsid whether to start it through setsid (the spawner calls setsid itself)
     */
    List<String> command(String script, String shell, String envPath, Path workdir, boolean withSetsid) throws NotFound {
        String program;
        if (shell == null || shell.isBlank()) {
            program = bash != null ? bash : sh;
            if (program == null) {
                throw new NotFound("neither bash nor sh was found on pipe's PATH or in " + String.join(", ", SYSTEM_DIRS));
            }
        } else if (shell.contains("/")) {
            Path p = workdir.resolve(shell);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new NotFound("the shell " + shell + " is not an executable file");
            }
            program = p.toString();
        } else {
            program = find(shell, envPath, System.getenv("PATH"));
            if (program == null) {
                throw new NotFound("the shell `" + shell + "` was not found on the step's PATH, pipe's PATH or in "
                        + String.join(", ", SYSTEM_DIRS));
            }
        }
        List<String> argv = new ArrayList<>();
        if (withSetsid && setsid != null) {
            argv.add(setsid);
        }
        argv.add(program);
        argv.addAll(flags(Path.of(program).getFileName().toString()));
        argv.add("-c");
        argv.add(script);
        return argv;
    }

    /** Stop at the first failing command; bash also fails a pipeline when any part of it fails. */
    static List<String> flags(String shellName) {
        return switch (shellName) {
            case "bash" -> List.of("-eo", "pipefail");
            case "sh", "dash", "ash" -> List.of("-e");
            default -> List.of();
        };
    }

    /** The executable called {@code name} in the PATH values given (nulls allowed), else in the system directories. */
    static String find(String name, String... paths) {
        List<String> dirs = new ArrayList<>();
        for (String path : paths) {
            if (path == null) {
                continue;
            }
            for (String dir : path.split(File.pathSeparator)) {
                // An empty entry means the current directory; never look for a shell there.
                if (!dir.isEmpty() && !dir.equals(".")) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            try {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            } catch (java.nio.file.InvalidPathException e) {
                // not a directory name this system can use
            }
        }
        return null;
    }
}
