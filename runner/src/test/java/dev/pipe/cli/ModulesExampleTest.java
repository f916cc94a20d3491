package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.Ledger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/modules on a copy of the example: std/node's CI stage, a steps template from the
 * example's own module and std/deploy's backup → deploy → verify → rollback, expanded and run for
 * real on local processes, with a real server on 127.0.0.1:8093 stopped at the end.
 */
class ModulesExampleTest {
    @TempDir
    Path dir;

    private Path example;
    private Path state;

    @BeforeEach
    void copy() throws IOException {
        assumeTrue(CliRun.onPath("node") || "true".equals(System.getenv("CI")),
                "the example's lint and test need Node.js (node), which is not installed here");
        example = dir.resolve("modules");
        state = dir.resolve(".pipe");
        CliRun.copyExample("modules", example, ".demo", ".pipe");
    }

    @AfterEach
    void stopServer() throws Exception {
        if (example != null) {
            new ProcessBuilder(example.resolve("scripts/stop.sh").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    private CliRun pipe(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state.toString()));
        return CliRun.of(Map.of(), all.toArray(String[]::new));
    }

    private CliRun run(String... inputs) {
        List<String> args = new ArrayList<>(List.of("run", example.resolve("modules.pipe").toString(), "--event",
                "manual", "--runner", "local"));
        for (String i : inputs) {
            args.addAll(List.of("--input", i));
        }
        return pipe(args.toArray(String[]::new));
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:8093" + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    @Test
    void checksFormatsAndPlansWithItsImports() {
        Path pipeline = example.resolve("modules.pipe");
        CliRun check = CliRun.of("check", pipeline.toString(), example.resolve("ci/common.pipe").toString());
        assertEquals(Exit.OK, check.code(), check::toString);
        assertTrue(check.out().contains("Checked 2 files: no problems."), check::toString);
        CliRun fmt = CliRun.of("fmt", "--check", pipeline.toString(), example.resolve("ci/common.pipe").toString());
        assertEquals(Exit.OK, fmt.code(), fmt::toString);
        CliRun plan = CliRun.of("plan", pipeline.toString(), "--event", "manual", "--input", "version=v1");
        assertEquals(Exit.OK, plan.code(), plan::toString);
        assertTrue(plan.out().contains("note: made from template `node.ci`"), plan::toString);
        assertTrue(plan.out().contains("note: made from template `deploy.service`"), plan::toString);
        assertTrue(plan.out().contains("runner docker node:22"), plan::toString);
        assertTrue(plan.out().contains("$ ./scripts/build.sh v1 false"), plan::toString);
        assertTrue(plan.out().contains("$ ./scripts/deploy.sh staging v1"), plan::toString);
    }

    @Test
    void deploysVerifiesAndRollsBackThroughTheTemplates() throws Exception {
        CliRun v1 = run("version=v1");
        assertEquals(Exit.OK, v1.code(), v1::toString);
        assertTrue(v1.out().contains("[test/test] 2 tests passed"), v1::toString);
        assertTrue(v1.out().contains("[package/build] built v1"), v1::toString);
        assertTrue(v1.out().contains("[staging/backup] backed up staging (nothing deployed yet)"), v1::toString);
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get("/health"));

        CliRun v2 = run("version=v2", "broken=true");
        assertEquals(Exit.ERRORS, v2.code(), v2::toString);
        assertTrue(v2.out().contains("[staging/backup] backed up staging (running v1)"), v2::toString);
        assertTrue(v2.out().contains("[staging/redeploy previous] deployed v1 to staging"), v2::toString);
        assertTrue(v2.out().contains("[staging/restore] restored staging from the backup taken while it ran v1"), v2::toString);
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get("/health"));
        List<Deployment> staging = new Ledger(state).history("staging");
        assertEquals(Deployment.Outcome.ROLLED_BACK, staging.get(0).outcome());
        assertEquals("v2", staging.get(0).version());

        // A manual rollback goes through the stage the template made, like any other.
        assertEquals(Exit.OK, run("version=v3").code());
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v3\"}", get("/health"));
        CliRun back = pipe("rollback", "staging", "--to", "v1", "--reason", "v3 breaks checkout");
        assertEquals(Exit.OK, back.code(), back::toString);
        assertEquals("200 {\"status\":\"ok\",\"version\":\"v1\"}", get("/health"));
    }
}
