package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.Ledger;
import dev.pipe.engine.journal.RunStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/deploy as its README tells it, on a copy of the example: v1 to staging and, after two
 * approvals, to production; a broken v2 rolled back on staging by itself; a manual rollback;
 * real servers on 127.0.0.1:8091 and 8092, stopped at the end.
 */
class DeployExampleTest {
    @TempDir
    Path dir;

    private Path example;
    private Path state;

    @BeforeEach
    void copy() throws IOException {
        example = dir.resolve("deploy");
        state = dir.resolve(".pipe");
        CliRun.copyExample("deploy", example, ".demo");
    }

    @AfterEach
    void stopServers() throws Exception {
        new ProcessBuilder(example.resolve("scripts/stop.sh").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private CliRun pipe(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state.toString()));
        return CliRun.of(Map.of(), all.toArray(String[]::new));
    }

    private CliRun run(String... inputs) {
        List<String> args = new java.util.ArrayList<>(List.of("run", example.resolve("deploy.pipe").toString(), "--event",
                "manual", "--as", "ada"));
        for (String i : inputs) {
            args.addAll(List.of("--input", i));
        }
        return pipe(args.toArray(String[]::new));
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    @Test
    void theReadmeWalkThroughWorks() throws Exception {
        CliRun v1 = run("version=v1");
        assertEquals(Exit.WAITING, v1.code(), v1::toString);
        String run = new RunStore(state).latest().orElseThrow().id();
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get(8091, "/health"));
        assertEquals(Exit.OK, pipe("approve", run, "--as", "alice", "--comment", "release notes read").code());
        assertEquals(Exit.OK, pipe("approve", run, "--as", "bob").code());
        CliRun resumed = pipe("resume", run);
        assertEquals(Exit.OK, resumed.code(), resumed::toString);
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get(8092, "/health"));

        CliRun v2 = run("version=v2", "broken=true");
        assertEquals(Exit.ERRORS, v2.code(), v2::toString);
        assertTrue(v2.out().contains("rolled back to v1"), v2::toString);
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get(8091, "/health"));
        assertEquals("200 {\"version\":\"v1\"}", get(8092, "/version"), "production was not touched");
        List<Deployment> staging = new Ledger(state).history("staging");
        assertEquals(Deployment.Outcome.ROLLED_BACK, staging.get(0).outcome());
        assertEquals(List.of("alice", "bob"), new Ledger(state).history("production").get(0).approvals().stream()
                .map(Deployment.Approval::by).toList());

        // v3 passes staging; then back to v1 by hand.
        assertEquals(Exit.WAITING, run("version=v3").code());
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v3\"}", get(8091, "/health"));
        CliRun back = pipe("rollback", "staging", "--to", "v1", "--reason", "v3 breaks checkout");
        assertEquals(Exit.OK, back.code(), back::toString);
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get(8091, "/health"));
        CliRun history = pipe("history", "staging");
        assertTrue(history.out().contains("manual_rollback") || history.out().contains("manual rollback"), history::toString);
    }
}
