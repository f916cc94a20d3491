package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import dev.pipe.engine.journal.StageStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI part of examples/shop (lint, unit tests on both matrix entries, package) run for real
 * on this machine with {@code --runner local}, against a copy of the example's app and scripts,
 * with its hooks posting to a webhook server on 127.0.0.1.
 */
class ShopCiTest {
    private static final String TOKEN = "T0KEN-xoxb-s3cr3t";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> posts = Collections.synchronizedList(new ArrayList<>());
    private Path shop;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(CliRun.onPath("node") || "true".equals(System.getenv("CI")),
                "the shop's lint and unit tests need Node.js (node), which is not installed here");
        assertTrue(CliRun.onPath("node"), "CI=true but node is missing: .ci/run installs Debian's nodejs");
        shop = dir.resolve("shop");
        CliRun.copyExample("shop", shop, "dist", ".pipe-demo", ".pipe");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            posts.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
    }

    private CliRun ci(String... more) {
        List<String> args = new ArrayList<>(List.of("run", shop.resolve("shop.pipe").toString(), "--event", "push",
                "--branch", "feature/cart", "--sha", "3f2a9c1d5e7b", "--runner", "local", "--state",
                dir.resolve(".pipe").toString(), "--parallel", "2"));
        args.addAll(List.of(more));
        String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/services/" + TOKEN;
        return CliRun.of(Map.of("PIPE_SECRET_SLACK_WEBHOOK_URL", hook), args.toArray(String[]::new));
    }

    private RunState state() throws IOException {
        return RunStore.forRepository(dir).list().get(0).state();
    }

    /** Every file under .pipe/ and the console, as one text. */
    private String everything(CliRun r) throws IOException {
        StringBuilder sb = new StringBuilder(r.out()).append(r.err());
        try (Stream<Path> files = Files.walk(dir.resolve(".pipe"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    @Test
    void theCiStagesRunForRealAndPackageTheApp() throws IOException {
        CliRun r = ci("--only", "lint,test,package");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("[lint/lint] lint: ok"), r::toString);
        assertTrue(r.out().contains("[test[node=18]/unit tests] # pass 4"), r::toString);
        assertTrue(r.out().contains("[test[node=20]/unit tests] # pass 4"), r::toString);
        RunState state = state();
        assertEquals(RunStatus.SUCCEEDED, state.status());
        for (String stage : List.of("lint", "test[node=18]", "test[node=20]", "package")) {
            assertEquals(StageStatus.SUCCEEDED, state.stage(stage).orElseThrow().status(), stage);
        }
        assertEquals(StageStatus.SKIPPED, state.stage("integration").orElseThrow().status());
        Map<String, String> outputs = state.stage("package").orElseThrow().outputs();
        assertEquals("dist/shop-0.0.0-dev.3f2a9c1.tar.gz", outputs.get("tarball"));
        assertTrue(Files.isRegularFile(shop.resolve(outputs.get("tarball"))));
        assertEquals(64, outputs.get("sha256").length());
        // The success hook's only step announces production releases: a push skips it.
        assertEquals(StageStatus.SUCCEEDED, state.stage("on success").orElseThrow().status());
        assertEquals(List.of(), posts);
        assertFalse(everything(r).contains(TOKEN), "the webhook secret leaked");
    }

    @Test
    void aLintFailureFailsTheRunAndTheFailureHookTellsTheTeam() throws IOException {
        Path cart = shop.resolve("app/cart.js");
        Files.writeString(cart, Files.readString(cart) + "\nconsole.log('debugging');\n");
        CliRun r = ci("--only", "lint,test,package");
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.out().contains("lint: console.log found in app code"), r::toString);
        RunState state = state();
        assertEquals(RunStatus.FAILED, state.status());
        assertEquals(StageStatus.FAILED, state.stage("lint").orElseThrow().status());
        assertEquals(StageStatus.SKIPPED, state.stage("package").orElseThrow().status());
        assertEquals(List.of("/services/" + TOKEN + " {\"text\":\"shop run " + state.runId()
                + " (push) failed at stage lint\"}"), posts);
        assertTrue(r.out().contains("[on failure/notify.webhook] POST *** -> HTTP 200"), r::toString);
        assertFalse(everything(r).contains(TOKEN), "the webhook secret leaked");
    }

    @Test
    void theDryRunSaysWhichStagesLeaveTheirContainers() {
        CliRun r = ci("--dry-run");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("runs on this machine instead of in `node:18-alpine` (--runner local)"), r::toString);
        assertFalse(r.out().contains(TOKEN), r::toString);
    }

    @Test
    void stagesThatNeedContainersForMoreThanTheirStepsAreRefusedUpFront() throws IOException {
        CliRun r = ci();
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.err().contains("stage `integration` has services, which only start beside a container stage"),
                r::toString);
        assertFalse(Files.exists(dir.resolve(".pipe/runs")) && RunStore.forRepository(dir).list().size() > 0,
                "nothing may start when the plan cannot run");
    }
}
