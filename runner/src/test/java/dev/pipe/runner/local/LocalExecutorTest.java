package dev.pipe.runner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.ShellCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The shell, its environment, working directory and exit codes; started by the spawner and by the JVM. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = LocalExecutor.Spawning.class, names = {"NATIVE", "PERL", "PROCESS_BUILDER"})
class LocalExecutorTest {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8");

    @Parameter
    LocalExecutor.Spawning spawning;

    @TempDir
    Path dir;

    LocalExecutor executor;

    @BeforeEach
    void start() {
        Procs.requireSpawner(spawning);
        executor = new LocalExecutor(Duration.ofMillis(500), null, spawning);
    }

    @AfterEach
    void close() {
        executor.close();
    }

    record Run(ExecResult result, RecordingSink sink) {
        String out() {
            return sink.out();
        }

        String err() {
            return sink.err();
        }
    }

    Run run(ShellCommand command) throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        ExecResult result = executor.exec(command, sink, new Cancellation());
        assertNull(sink.misuse(), sink.misuse());
        assertEquals(1, sink.closes(), "the sink is closed exactly once");
        return new Run(result, sink);
    }

    Run run(String script) throws InterruptedException {
        return run(new ShellCommand(script, dir, ENV, null, null));
    }

    @Test
    void theChosenWayStartsTheShell() throws Exception {
        Run r = run("echo $PPID; cat /proc/$PPID/comm; cat /proc/$$/stat");
        String[] lines = r.out().split("\n");
        if (spawning != LocalExecutor.Spawning.PROCESS_BUILDER) {
            assertTrue(executor.spawns(), spawning + ": no spawner could start, so it could not be tested");
            assertEquals(spawning == LocalExecutor.Spawning.NATIVE ? "the native spawner" : "perl", executor.spawnerName());
            assertEquals(executor.spawnerPid(), Long.parseLong(lines[0]));
            assertEquals("pipe-spawner", lines[1]);
        } else {
            assertFalse(executor.spawns());
            assertEquals(ProcessHandle.current().pid(), Long.parseLong(lines[0]));
        }
        // Either way the shell leads a session of its own: /proc/PID/stat is "PID (comm) STATE PPID PGRP SESSION ...".
        String[] f = lines[2].substring(lines[2].lastIndexOf(')') + 2).split(" ");
        assertEquals(lines[2].substring(0, lines[2].indexOf(' ')), f[3], "the shell's session is its pid");
    }

    @Test
    void exitCodesAreTheShells() throws InterruptedException {
        assertEquals(0, run("true").result().exitCode());
        assertTrue(run("true").result().succeeded());
        assertEquals(3, run("exit 3").result().exitCode());
        assertEquals(255, run("exit 255").result().exitCode());
        Run failed = run("exit 7");
        assertFalse(failed.result().succeeded());
        assertFalse(failed.result().timedOut() || failed.result().cancelled());
    }

    @Test
    void aShellEndedBySignalReports128PlusTheSignal() throws InterruptedException {
        assertEquals(143, run("kill -TERM $$").result().exitCode());
        assertEquals(137, run("kill -KILL $$").result().exitCode());
        assertEquals(130, run("sleep 5 & kill -INT $$; wait").result().exitCode());
    }

    @Test
    void errexitAndPipefailAreOn() throws InterruptedException {
        Run r = run("false | true\necho after");
        assertEquals(1, r.result().exitCode(), r.sink()::toString);
        assertEquals("", r.out());
        Run e = run("false\necho after");
        assertEquals(1, e.result().exitCode());
        assertEquals("", e.out());
        Run pipe = run("(exit 4) | cat");
        assertEquals(4, pipe.result().exitCode());
    }

    @Test
    void theEnvironmentIsExactlyWhatWasPassed() throws InterruptedException {
        Map<String, String> env = new LinkedHashMap<>(ENV);
        env.put("PLAIN", "1");
        env.put("EMPTY", "");
        env.put("SPACES", "a b  c");
        env.put("MULTI", "line one\nline two");
        env.put("UNICODE", "grüße €");
        // The shell's own initial environment, before bash adds PWD, SHLVL and _ for its children.
        Run r = run(new ShellCommand("cat /proc/$$/environ; true", dir, env, null, null));
        assertEquals(0, r.result().exitCode(), r.sink()::toString);
        Map<String, String> seen = new TreeMap<>();
        for (String entry : r.out().split("\0")) {
            int eq = entry.indexOf('=');
            seen.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        assertEquals(new TreeMap<>(env), seen);
    }

    @Test
    void scriptsAndValuesMayHoldAnyCharacterButNul() throws InterruptedException {
        StringBuilder big = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        // At most 3 bytes a character: under the 128 KiB Linux allows one environment entry.
        while (big.length() < 30_000) {
            int c = 1 + random.nextInt(0x2FFF);
            if (!Character.isSurrogate((char) c)) {
                big.append((char) c);
            }
        }
        Map<String, String> env = new LinkedHashMap<>(ENV);
        env.put("LINES", "one\ntwo\r\nthree\n");
        env.put("EQUALS", "=a=b=");
        env.put("CONTROL", "\u0001\u0009\u001b[0m\u007f");
        env.put("FRAMEISH", "S\u0000\u0000".replace("\u0000", "\u0001") + "X\u0004");
        env.put("EMOJI", "\uD83D\uDE00 \u00e9");
        env.put("BIG", big.toString());
        String script = "# 'quotes' \"double\" \\backslash\\ \t tab \u00fc\n"
                + "for v in LINES EQUALS CONTROL FRAMEISH EMOJI BIG; do printf '%s\\0' \"${!v}\"; done";
        Run r = run(new ShellCommand(script, dir, env, null, null));
        assertEquals(0, r.result().exitCode(), r.sink()::toString);
        assertEquals(String.join("\0", env.get("LINES"), env.get("EQUALS"), env.get("CONTROL"), env.get("FRAMEISH"),
                env.get("EMOJI"), env.get("BIG")) + "\0", r.out());

        Run nul = run(new ShellCommand("true", dir, Map.of("PATH", ENV.get("PATH"), "TOKEN", "secret\0value"), null, null));
        assertEquals(LocalExecutor.CANNOT_START, nul.result().exitCode());
        assertEquals("pipe: cannot start the command: the environment variable TOKEN holds a NUL character,"
                + " which no program can be given\n", nul.err());
        Run nulScript = run("echo a\0b");
        assertEquals(LocalExecutor.CANNOT_START, nulScript.result().exitCode());
        assertEquals("pipe: cannot start the command: the script holds a NUL character, which no program can be given\n",
                nulScript.err());
    }

    @Test
    void withoutPathTheShellStillRuns() throws InterruptedException {
        Run r = run(new ShellCommand("echo \"ok\"; cat /proc/$$/environ | wc -c", dir, Map.of(), null, null));
        assertEquals(0, r.result().exitCode(), r.sink()::toString);
        assertEquals("ok\n0\n", r.out());
    }

    @Test
    void theWorkingDirectoryIsHonoured() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("a dir/with space"));
        Files.writeString(sub.resolve("here.txt"), "found");
        Run r = run(new ShellCommand("pwd -P; cat here.txt", sub, ENV, null, null));
        assertEquals(sub.toRealPath() + "\nfound", r.out());
    }

    @Test
    void theShellInheritsNoOtherFileDescriptors() throws Exception {
        // Another command running meanwhile has pipes open in pipe or in the spawner.
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                run("touch started; while [ ! -e over ]; do sleep 0.01; done");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.exists(dir.resolve("started")) && System.nanoTime() < deadline) {
                Procs.sleep(5);
            }
            // Looked at from outside, once the shell has become a sleep that holds just what it inherited.
            java.util.concurrent.atomic.AtomicReference<String> fds = new java.util.concurrent.atomic.AtomicReference<>();
            RecordingSink sink = new RecordingSink((stream, soFar) -> {
                if (soFar.endsWith("\n") && fds.get() == null) {
                    long pid = Long.parseLong(soFar.strip());
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (!comm(pid).equals("sleep\n") && System.nanoTime() < until) {
                        Procs.sleep(2);
                    }
                    // sleep opens files of its own while it starts (the C library, locale files) and
                    // closes them before it sleeps: an inherited descriptor is one still open for
                    // most of its second, so the list is read until it is clean or 0.7 s have passed.
                    long settled = System.nanoTime() + Duration.ofMillis(700).toNanos();
                    String seen;
                    while (true) {
                        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                            // Names what an extra descriptor points at, so that a failure says where it came from.
                            seen = list.map(f -> Integer.parseInt(f.getFileName().toString()) < 3 ? f.getFileName().toString()
                                    : f.getFileName() + " -> " + link(f)).sorted().toList().toString();
                        } catch (java.io.IOException e) {
                            seen = e.toString();
                        }
                        if (seen.equals("[0, 1, 2]") || System.nanoTime() > settled) {
                            break;
                        }
                        Procs.sleep(2);
                    }
                    fds.set(seen);
                }
            });
            ExecResult r = executor.exec(new ShellCommand("echo $$; exec sleep 1", dir, ENV, null, null), sink,
                    new Cancellation());
            assertEquals(0, r.exitCode(), sink::toString);
            assertEquals("[0, 1, 2]", fds.get());
        } finally {
            Files.writeString(dir.resolve("over"), "");
            other.join();
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void stdinIsEmpty() throws InterruptedException {
        Run r = run("cat; echo end; readlink /proc/$$/fd/0");
        assertEquals("end\n/dev/null\n", r.out());
    }

    @Test
    void aNamedShellIsFoundAndGetsItsFlags() throws InterruptedException {
        Run sh = run(new ShellCommand("false\necho after", dir, ENV, null, "sh"));
        assertEquals(1, sh.result().exitCode(), "sh runs with -e");
        Run bash = run(new ShellCommand("echo $BASH_VERSION | cut -c1; false | true", dir, ENV, null, "bash"));
        assertEquals(1, bash.result().exitCode(), "bash runs with -eo pipefail");
        Run byPath = run(new ShellCommand("echo $0", dir, ENV, null, "/bin/sh"));
        assertEquals("/bin/sh\n", byPath.out());
        Run other = run(new ShellCommand("import sys; print('python', sys.argv[0])", dir, ENV, null, "python3"));
        if (Shells.find("python3", ENV.get("PATH")) != null) {
            assertEquals("python -c\n", other.out(), other.sink()::toString);
        } else {
            assertEquals(LocalExecutor.CANNOT_START, other.result().exitCode());
        }
    }

    @Test
    void aMissingShellOrDirectoryIsReportedOnStderr() throws InterruptedException {
        Run shell = run(new ShellCommand("true", dir, ENV, null, "no-such-shell-x"));
        assertEquals(LocalExecutor.CANNOT_START, shell.result().exitCode());
        assertEquals("pipe: cannot start the command: the shell `no-such-shell-x` was not found on the step's PATH,"
                + " pipe's PATH or in /usr/local/bin, /usr/bin, /bin\n", shell.err());
        Run workdir = run(new ShellCommand("true", dir.resolve("missing"), ENV, null, null));
        assertEquals(LocalExecutor.CANNOT_START, workdir.result().exitCode());
        assertEquals("pipe: cannot start the command: the working directory " + dir.resolve("missing")
                + " does not exist\n", workdir.err());
    }

    @Test
    void theLongestScriptLinuxAllowsRunsAndALongerOneIsReported() throws InterruptedException {
        String longest = ("x=" + "y".repeat(97) + "\n").repeat(1310) + "echo done " + "z".repeat(61);
        assertEquals(128 * 1024 - 1, longest.length());
        assertEquals("done " + "z".repeat(61) + "\n", run(longest).out());
        Run tooLong = run(longest + "z");
        assertEquals(LocalExecutor.CANNOT_START, tooLong.result().exitCode());
        assertEquals("pipe: cannot start the command: the script is 131072 bytes long, and Linux passes at most 131071"
                + " to a shell; put it in a file and run the file\n", tooLong.err());
    }

    @Test
    void aCancelledRunStartsNothing() throws Exception {
        Cancellation cancel = new Cancellation();
        cancel.cancel("test");
        RecordingSink sink = new RecordingSink();
        Path flag = dir.resolve("ran");
        ExecResult r = executor.exec(new ShellCommand("touch ran", dir, ENV, null, null), sink, cancel);
        assertTrue(r.cancelled());
        assertFalse(Files.exists(flag));
        assertEquals(1, sink.closes());
    }

    @Test
    void theDurationIsMeasured() throws InterruptedException {
        Run r = run("sleep 0.2");
        assertTrue(r.result().duration().toMillis() >= 200, r.result()::toString);
        assertTrue(r.result().duration().toMillis() < 2000, r.result()::toString);
    }

    @Test
    void theBaseEnvironmentKeepsTheBasicsOnly() {
        Map<String, String> from = Map.of("PATH", "/opt/bin:/usr/bin", "HOME", "/home/x", "TERM", "xterm",
                "GITHUB_TOKEN", "secret", "LC_TIME", "de_DE.UTF-8", "LANG", "en_US.UTF-8", "USER", "x");
        assertEquals(Map.of("PATH", "/opt/bin:/usr/bin", "HOME", "/home/x", "LC_TIME", "de_DE.UTF-8",
                "LANG", "en_US.UTF-8", "USER", "x"), LocalExecutor.baseEnvironment(from));
        assertEquals(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), LocalExecutor.baseEnvironment(Map.of()));
        assertEquals(System.getenv("HOME"), LocalExecutor.baseEnvironment().get("HOME"));
    }
    private static String link(Path f) {
        try {
            return Files.readSymbolicLink(f).toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
