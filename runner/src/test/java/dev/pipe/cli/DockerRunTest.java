package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import dev.pipe.runner.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker runner on a real engine. No registry is reachable from CI, so nothing here pulls:
 * everything runs in the busybox image scripts/docker-test-env.sh imports, or in images built
 * from it. Without an engine these tests are skipped, saying why; with CI=true they fail.
 */
class DockerRunTest {
    static final String IMAGE = "pipe-test/busybox:1";
    static final String SECRET = "d0cker-S3cret/value";

    @TempDir
    Path dir;

    private static DockerEngine engine;
    private static boolean told;

    /** Skips the test when no engine answers or the test image is missing; fails instead when CI=true. */
    static DockerEngine requireEngine() {
        if (engine == null) {
            engine = DockerEngine.connect(System.getenv());
        }
        String why = engine.unreachable();
        if (why == null && !engine.hasImage(IMAGE)) {
            why = "the test image " + IMAGE + " is missing";
        }
        if (why != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true, so the Docker tests must run, but " + why + "; .ci/run calls scripts/docker-test-env.sh");
            }
            if (!told) {
                told = true;
                System.err.println("DockerRunTest: skipping the Docker tests: " + why);
            }
            Assumptions.abort("Docker tests skipped: " + why + " (scripts/docker-test-env.sh starts dockerd and makes the image)");
        }
        return engine;
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /** DOCKER_HOST as the tests were given it, and the secret. */
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PIPE_SECRET_TOKEN", SECRET);
        env.put("PIPE_SECRET_DB_PASSWORD", SECRET);
        env.put("PIPE_SECRET_SLACK_WEBHOOK_URL", "http://127.0.0.1:9/hook");
        if (System.getenv("DOCKER_HOST") != null) {
            env.put("DOCKER_HOST", System.getenv("DOCKER_HOST"));
        }
        return env;
    }

    private CliRun run(Path file, String... more) {
        String[] args = Stream.concat(Stream.of("run", file.toString(), "--state", dir.resolve(".pipe").toString()),
                Stream.of(more)).toArray(String[]::new);
        return CliRun.of(env(), args);
    }

    private RunDir onlyRun() throws IOException {
        List<RunDir> runs = new RunStore(dir.resolve(".pipe")).list();
        assertEquals(1, runs.size());
        return runs.get(0);
    }

    private void assertNothingLeft(String runId) {
        assertEquals(List.of(), engine.containersOf(runId), "containers of run " + runId + " are left");
        assertEquals(List.of(), engine.networksOf(runId), "networks of run " + runId + " are left");
    }

    /** Every file of the run's folder and the console, as one text. */
    private String everything(CliRun r) throws IOException {
        StringBuilder sb = new StringBuilder(r.out()).append(r.err());
        try (Stream<Path> files = Files.walk(dir.resolve(".pipe"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sb.append(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    @Test
    void theServicesExampleRunsItsTestsBesideADatabaseAndACache() throws IOException {
        requireEngine();
        CliRun r = run(CliRun.root().resolve("examples/services/services.pipe"));
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("service database is ready") && r.out().contains("service cache is ready"), r::toString);
        assertTrue(r.out().contains("database at database: READY shop_test"), r::toString);
        assertTrue(r.out().contains("cache at http://cache:6379: PONG"), r::toString);
        assertTrue(r.out().contains("connecting with password ***"), r::toString);
        assertFalse(everything(r).contains(SECRET), "the secret must not be in any output or file");
        RunDir run = onlyRun();
        assertTrue(Files.isRegularFile(run.dir().resolve("services/integration/database.log")), "the service's log is kept");
        assertNothingLeft(run.id());
    }

    @Test
    void stepsShareTheStagesContainerWithTheWorkspaceMountedAndStreamsApart() throws IOException {
        requireEngine();
        Path file = Files.writeString(dir.resolve("one.pipe"), """
                pipeline one
                on push
                secrets [TOKEN]
                stage box {
                  runner docker "%s"
                  step "first" {
                    sh "echo to-out; echo to-err >&2; touch /tmp/made-by-first; hostname > host.txt; echo seen=$TOKEN"
                  }
                  step "second" {
                    sh "test -f /tmp/made-by-first; echo where=$(pwd) >> $PIPE_OUTPUT; echo shell=$0 >> $PIPE_OUTPUT"
                  }
                  step "third" {
                    sh "exit 3"
                    allow_failure
                  }
                  output where = steps.second.where
                }
                """.formatted(IMAGE));
        CliRun r = run(file, "--output", "json");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("\"stream\":\"stdout\",\"line\":\"to-out\""), r::toString);
        assertTrue(r.out().contains("\"stream\":\"stderr\",\"line\":\"to-err\""), r::toString);
        assertTrue(r.out().contains("seen=***") && !r.out().contains(SECRET), r::toString);
        RunDir run = onlyRun();
        RunState state = run.state();
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertEquals(dir.toString(), state.stages().get("box").outputs().get("where"), "the workspace is mounted at its own path");
        assertEquals("sh", run.state().stepOutputs("box").get("second").get("shell"), "busybox has no bash: sh -e");
        assertTrue(Files.exists(dir.resolve("host.txt")), "a step writes into the workspace");
        assertTrue(r.out().contains("exited with code 3"), r::toString);
        assertNothingLeft(run.id());
    }

    @Test
    void userAndWorkdirOptionsApplyAndOutputsStillWork() throws IOException {
        requireEngine();
        // The test's folder is its owner's only; user 1000 in the container must read it.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(dir.resolve("user.pipe"), """
                pipeline user
                on push
                stage box {
                  runner docker "%s" { user "1000" workdir "/src" }
                  step "who" { sh "echo uid=$(id -u) >> $PIPE_OUTPUT; echo dir=$(pwd) >> $PIPE_OUTPUT; ls /src/user.pipe" }
                  output uid = steps.who.uid
                  output dir = steps.who.dir
                }
                """.formatted(IMAGE));
        CliRun r = run(file);
        assertEquals(Exit.OK, r.code(), r::toString);
        RunState state = onlyRun().state();
        assertEquals("1000", state.stages().get("box").outputs().get("uid"));
        assertEquals("/src", state.stages().get("box").outputs().get("dir"));
    }

    @Test
    void aTimeoutStopsEveryProcessOfTheStepAndTheContainerGoesOn() throws IOException {
        requireEngine();
        Path file = Files.writeString(dir.resolve("slow.pipe"), """
                pipeline slow
                on push
                stage box {
                  runner docker "%s"
                  step "slow" {
                    sh "sleep 297 & sleep 298"
                    timeout 1s
                    allow_failure
                  }
                  step "check" { sh "if ps | grep -v grep | grep -q 'sleep 29[78]'; then ps; exit 1; fi; echo all-gone" }
                }
                """.formatted(IMAGE));
        CliRun r = run(file);
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("timed out after 1s"), r::toString);
        assertTrue(r.out().contains("all-gone"), r::toString);
        assertNothingLeft(onlyRun().id());
    }

    @Test
    void aMissingImageThatCannotBePulledFailsTheStageNamingBoth() throws IOException {
        requireEngine();
        Path file = Files.writeString(dir.resolve("absent.pipe"), """
                pipeline absent
                on push
                stage build {
                  runner docker "pipe-test/not-there:1"
                  step "x" { sh "true" }
                }
                """);
        CliRun r = run(file);
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.out().contains("image `pipe-test/not-there:1` for stage `build` is not on this machine and cannot be pulled"),
                r::toString);
        assertNothingLeft(onlyRun().id());
    }

    @Test
    void servicesThatEndOrNeverGetReadyFailTheStageAndLeaveNothing() throws Exception {
        requireEngine();
        Path file = Files.writeString(dir.resolve("unready.pipe"), """
                pipeline unready
                on push
                stage ends {
                  runner docker "%1$s"
                  service quits "%1$s" {
                    ready "true" retries 5 every 200ms
                  }
                  step "x" { sh "touch ends-ran" }
                }
                stage never {
                  runner docker "%1$s"
                  service slow "pipe-test/cache:1" {
                    ready "test -f /never" retries 2 every 100ms
                  }
                  step "x" { sh "touch never-ran" }
                }
                """.formatted(IMAGE));
        if (!engine.hasImage("pipe-test/cache:1")) {
            docker("build", "-q", "-t", "pipe-test/cache:1", CliRun.root().resolve("examples/services/standins/cache").toString());
        }
        CliRun r = run(file, "--no-fail-fast");
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        // busybox's command is a shell, which ends at once without a terminal
        assertTrue(r.out().contains("service `quits` of stage `ends` ended with code 0 before it was ready; its log is in "),
                r::toString);
        assertTrue(r.out().contains("service `slow` of stage `never` was not ready after 3 tries of `test -f /never`"),
                r::toString);
        assertFalse(Files.exists(dir.resolve("ends-ran")) || Files.exists(dir.resolve("never-ran")), "no step runs");
        assertNothingLeft(onlyRun().id());
    }

    @Test
    void dockerRunRunsACommandInAContainerOfTheImage() throws IOException {
        requireEngine();
        Path file = Files.writeString(dir.resolve("drun.pipe"), """
                pipeline drun
                on push
                stage box {
                  step "fine" { docker.run "%1$s" command: "echo hello from $WHO; ls drun.pipe" env: ["WHO=busybox"] }
                  step "bad" {
                    docker.run "%1$s" command: "exit 4"
                    allow_failure
                  }
                  output code = steps.fine.exit_code
                }
                """.formatted(IMAGE));
        CliRun r = run(file);
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("hello from busybox"), r::toString);
        assertTrue(r.out().contains("exited with code 4"), r::toString);
        RunDir run = onlyRun();
        assertEquals("0", run.state().stages().get("box").outputs().get("code"));
        assertNothingLeft(run.id());
    }

    /** The shop's image stage builds its Dockerfile, FROM node:20-alpine, here the busybox image tagged so. */
    @Test
    void theShopsImageStageBuildsWithAStandInBaseImage() throws Exception {
        requireEngine();
        boolean tagged = false;
        if (!engine.hasImage("node:20-alpine")) {
            docker("tag", IMAGE, "node:20-alpine");
            tagged = true;
        }
        try {
            CliRun r = run(CliRun.root().resolve("examples/shop/shop.pipe"), "--event", "push", "--branch", "feature/x",
                    "--sha", "0dd0c0ffee", "--only", "image");
            assertEquals(Exit.OK, r.code(), r::toString);
            String digest = onlyRun().state().stages().get("image").outputs().get("digest");
            assertTrue(digest != null && digest.startsWith("sha256:"), r::toString);
            assertTrue(engine.hasImage("shop/api:0dd0c0f"), r::toString);
        } finally {
            docker("rmi", "shop/api:0dd0c0f");
            if (tagged) {
                docker("rmi", "node:20-alpine");
            }
        }
    }

    @Test
    void aCancelledRunRemovesItsContainers() throws Exception {
        requireEngine();
        Path file = Files.writeString(dir.resolve("cancel.pipe"), """
                pipeline cancel
                on push
                stage box {
                  runner docker "%s"
                  step "long" { sh "sleep 300" }
                }
                """.formatted(IMAGE));
        Path state = dir.resolve(".pipe");
        Process p = pipeRun(file, state);
        String runId = waitForContainer(state, p);
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pipe should end after SIGTERM");
        assertNothingLeft(runId);
    }

    @Test
    void resumeRemovesWhatAKilledRunLeftOnTheEngine() throws Exception {
        requireEngine();
        Path file = Files.writeString(dir.resolve("killed.pipe"), """
                pipeline killed
                on push
                stage box {
                  runner docker "%s"
                  service web "%1$s"
                  step "long" { sh "if [ -f second ]; then exit 0; fi; touch second; sleep 300" }
                }
                """.formatted(IMAGE));
        Path state = dir.resolve(".pipe");
        Process p = pipeRun(file, state);
        String runId = waitForContainer(state, p);
        // Killed only once the step is in its long sleep: the resumed attempt then finds `second` and ends at once.
        long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!Files.exists(dir.resolve("second")) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(dir.resolve("second")), "the step did not start within a minute");
        p.destroyForcibly().waitFor();
        assertFalse(engine.containersOf(runId).isEmpty(), "a pipe killed with SIGKILL cannot remove its containers");
        CliRun r = CliRun.of(env(), "resume", runId, "--state", state.toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("left on Docker by the process that drove this run before"), r::toString);
        assertNothingLeft(runId);
    }

    @Test
    void aDryRunShowsTheContainersARunWouldCreate() throws IOException {
        CliRun r = CliRun.of(Map.of(), "run", CliRun.root().resolve("examples/services/services.pipe").toString(), "--dry-run");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("creates a container of pipe-test/busybox:1 for the steps, service containers database,"),
                r::toString);
    }

    @Test
    void withoutAnEngineAContainerStageIsRefusedWithWhatToDo() throws IOException {
        Path file = Files.writeString(dir.resolve("nowhere.pipe"), """
                pipeline nowhere
                on push
                stage box {
                  runner docker "%s"
                  step "x" { sh "true" }
                }
                """.formatted(IMAGE));
        CliRun r = CliRun.of(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no.sock")), "run", file.toString(), "--state",
                dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.err().contains("stage `box` runs in a container of " + IMAGE + ", but no Docker engine answers at unix://"),
                r::toString);
        assertTrue(r.err().contains("--runner local"), r::toString);
        assertEquals(1, r.err().strip().lines().count(), "one sentence, no stack trace: " + r);
    }

    private static Process pipeRun(Path file, Path state) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.pipe.cli.Main",
                "run", file.toString(), "--state", state.toString()).redirectErrorStream(true)
                .redirectOutput(state.getParent().resolve("pipe.out").toFile());
        pb.environment().putAll(env());
        return pb.start();
    }

    /** Waits until the run has a container on the engine; returns the run's id. */
    private static String waitForContainer(Path state, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            List<RunDir> runs = Files.isDirectory(state.resolve("runs")) ? new RunStore(state).list() : List.of();
            if (!runs.isEmpty() && engine.containersOf(runs.get(0).id()).size() > 0
                    && runs.get(0).state().stages().get("box") != null
                    && !runs.get(0).state().stages().get("box").steps().isEmpty()) {
                return runs.get(0).id();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run's container never appeared: " + Files.readString(state.getParent().resolve("pipe.out")));
    }

    private static void docker(String... args) throws Exception {
        String[] cmd = Stream.concat(Stream.of("docker"), Stream.of(args)).toArray(String[]::new);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
    }
}
