package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.Ledger;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import dev.pipe.engine.journal.StageStatus;
import dev.pipe.runner.docker.DockerEngine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/shop's staging and production path, run for real through {@code pipe run} on a copy
 * of the example: the CI stages in containers of the stand-in images scripts/shop-test-images.sh
 * makes (node, postgres and redis, nothing pulled), docker.build of the Dockerfile, then the deploy
 * scripts starting the shop's server on 127.0.0.1:8081 (staging) and 8082 (production), where
 * verify checks it.
 *
 * <p>Only the waits of the copy's shop.pipe are shortened (the verify soaks of 2 and 10 minutes
 * and the seconds between retries); its checks, gates and steps are the example's. Without a
 * Docker engine the tests are skipped, saying why; with CI=true they fail instead.
 */
class ShopDeployTest {
    private static final List<String> IMAGES = List.of("node:18-alpine", "node:20-alpine", "postgres:16-alpine", "redis:7-alpine");
    private static final String DB_SECRET = "pg-S3cret-7f3a";
    private static final String REDIS_SECRET = "r3dis-S3cret-91b2";
    private static final String HOOK_TOKEN = "T0KEN-xoxb-shop-d3ploy";
    private static final int STAGING = 8081;
    private static final int PRODUCTION = 8082;
    /** A Wednesday at 10:00 in New York: inside production's window and outside its freezes. */
    private static final String IN_WINDOW = "2026-12-02T10:00:00-05:00";

    @TempDir
    Path dir;

    private static DockerEngine engine;
    private Path shop;
    private Path state;
    private Path secrets;
    private HttpServer hooks;
    private final List<String> posts = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> shas = new LinkedHashSet<>();

    @BeforeEach
    void setUp() throws Exception {
        requireDockerAndImages();
        for (int port : List.of(STAGING, PRODUCTION)) {
            if (answers(port)) {
                fail("port " + port + " on 127.0.0.1 is taken (a shop server left from trying examples/shop? "
                        + "its scripts/stop.sh stops it); the shop's environments need it");
            }
        }
        shop = dir.resolve("shop");
        state = dir.resolve(".pipe");
        CliRun.copyExample("shop", shop, "dist", ".pipe-demo", ".pipe");
        shortenTheWaits(shop.resolve("shop.pipe"));
        hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hooks.createContext("/", ex -> {
            posts.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hooks.start();
        secrets = Files.writeString(dir.resolve("shop-secrets.env"), """
                DATABASE_URL=postgres://shop:%s@localhost:5432/shop
                REDIS_URL=redis://:%s@localhost:6379/0
                SLACK_WEBHOOK_URL=http://127.0.0.1:%d/services/%s
                """.formatted(DB_SECRET, REDIS_SECRET, hooks.getAddress().getPort(), HOOK_TOKEN));
    }

    /**
     * The copy's verify waits in seconds rather than minutes. Each text must be there, so that a
     * change to shop.pipe shows here instead of making the test take ten minutes.
     */
    private static void shortenTheWaits(Path file) throws IOException {
        String text = Files.readString(file);
        for (String[] change : new String[][] {
                {"verify for 2m every 30s", "verify for 1s every 1s"},
                {"verify for 10m every 1m", "verify for 1s every 1s"},
                {"retries 5 every 5s", "retries 5 every 200ms"},
                {"retries 5 every 10s", "retries 5 every 200ms"},
                {"every 20s", "every 200ms"}}) {
            assertTrue(text.contains(change[0]), "examples/shop/shop.pipe no longer says `" + change[0] + "`");
            text = text.replace(change[0], change[1]);
        }
        Files.writeString(file, text);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (shop != null) {
            Process stop = new ProcessBuilder(shop.resolve("scripts/stop.sh").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(stop.waitFor(30, TimeUnit.SECONDS), "scripts/stop.sh did not end");
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        for (String sha : shas) {
            docker("rmi", "shop/api:" + sha);
        }
        if (engine != null && Files.isDirectory(state.resolve("runs"))) {
            for (RunDir run : new RunStore(state).list()) {
                assertEquals(List.of(), engine.containersOf(run.id()), "containers of run " + run.id() + " are left");
                assertEquals(List.of(), engine.networksOf(run.id()), "networks of run " + run.id() + " are left");
            }
        }
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aPushToDevelopDeploysToStagingAndABrokenReleaseIsRolledBackByItself() throws Exception {
        String a = "0.0.0-dev.a1a1a1a";
        CliRun first = push("a1a1a1a");
        assertEquals(Exit.OK, first.code(), first::toString);
        assertEquals("200 {\"version\":\"" + a + "\"}", get(STAGING, "/version"));
        assertEquals("200 {\"status\":\"healthy\",\"version\":\"" + a + "\",\"services\":{\"database\":\"connected\"}}",
                get(STAGING, "/health"));
        assertTrue(first.out().contains("[deploy_staging] verify GET http://localhost:8081/api/quote?items=espresso:2 "
                + "(round 1, try 1 of 1): passed"), first::toString);
        assertTrue(first.out().contains("[integration/integration tests] # pass 2"), first::toString);
        Deployment deployed = new Ledger(state).history("staging").get(0);
        assertEquals(a, deployed.version());
        assertEquals(Deployment.Outcome.SUCCEEDED, deployed.outcome());
        assertFalse(answers(PRODUCTION), "a push to develop must not touch production");

        // The next commit's release is broken: its tests pass, but once deployed its health check fails.
        Files.createFile(shop.resolve("app/BROKEN"));
        String b = "0.0.0-dev.b2b2b2b";
        CliRun second = push("b2b2b2b");
        assertEquals(Exit.ERRORS, second.code(), second::toString);
        assertTrue(second.out().contains("[package/package] app/BROKEN is there: packaging a broken release"), second::toString);
        assertTrue(second.out().contains("HTTP 500 from http://localhost:8081/health, expected 200"), second::toString);
        assertTrue(second.out().contains("[deploy_staging] rolling back to " + a), second::toString);
        assertTrue(Files.readString(shop.resolve(".pipe-demo/staging/server.log")).contains("shop " + b + " listening"),
                "the broken release was served before verify caught it");
        assertEquals("200 {\"version\":\"" + a + "\"}", get(STAGING, "/version"));
        assertTrue(get(STAGING, "/health").startsWith("200 "));
        Deployment rolledBack = new Ledger(state).history("staging").get(0);
        assertEquals(b, rolledBack.version());
        assertEquals(Deployment.Outcome.ROLLED_BACK, rolledBack.outcome());
        assertEquals(a, rolledBack.restoredVersion());
        CliRun history = pipe("history", "staging");
        assertEquals(Exit.OK, history.code(), history::toString);
        assertTrue(history.out().contains(b + "  rolled back to " + a), history::toString);
        assertTrue(history.out().contains(a + "  succeeded"), history::toString);
        RunDir failed = new RunStore(state).latest().orElseThrow();
        assertEquals(List.of("{\"text\":\"shop run " + failed.id() + " (push) failed at stage deploy_staging\"}"), posts);
        assertNoSecretsUnderState();
    }

    @Test
    void aTagGoesToProductionAfterTwoApprovalsAndABrokenOneIsRolledBack() throws Exception {
        CliRun tag = tag("v1.4.0", "c3c3c3c");
        assertEquals(Exit.WAITING, tag.code(), tag::toString);
        assertTrue(tag.out().contains("waiting for 2 more approvals from alice and bob"), tag::toString);
        RunDir run = new RunStore(state).latest().orElseThrow();
        assertEquals(StageStatus.SUCCEEDED, run.state().stage("image").orElseThrow().status());
        assertFalse(answers(PRODUCTION), "nothing is deployed before the approvals");

        assertEquals(Exit.OK, pipe("approve", run.id(), "--as", "alice", "--comment", "changelog read").code());
        CliRun self = pipe("approve", run.id(), "--as", "carol");
        assertEquals(Exit.ERRORS, self.code(), "carol started the run, so she cannot approve it: " + self);
        assertEquals(Exit.OK, pipe("approve", run.id(), "--as", "bob").code());
        CliRun resumed = pipe("resume", run.id());
        assertEquals(Exit.OK, resumed.code(), resumed::toString);
        assertTrue(resumed.out().contains("[deploy_production/smoke test] GET http://localhost:8082/api/quote"
                + "?items=latte:2&code=WELCOME10 -> HTTP 200"), resumed::toString);

        assertEquals("200 {\"version\":\"v1.4.0\"}", get(PRODUCTION, "/version"));
        assertEquals("200 {\"status\":\"healthy\",\"version\":\"v1.4.0\",\"services\":{\"database\":\"connected\"}}",
                get(PRODUCTION, "/health"));
        assertFalse(Files.exists(shop.resolve(".pipe-demo/production/MAINTENANCE")), "maintenance mode is off again");
        String digest = run.state().stage("image").orElseThrow().outputs().get("digest");
        assertTrue(Files.readString(shop.resolve(".pipe-demo/production/deployments.log")).contains(" v1.4.0 " + digest),
                "the deploy step records the image it deployed");
        assertTrue(Files.list(shop.resolve(".pipe-demo/production/backups")).findAny().isPresent(), "a backup came first");
        assertEquals(RunStatus.SUCCEEDED, run.state().status());
        Deployment deployed = new Ledger(state).history("production").get(0);
        assertEquals("v1.4.0", deployed.version());
        assertEquals(Deployment.Outcome.SUCCEEDED, deployed.outcome());
        assertEquals("carol", deployed.triggeredBy());
        assertEquals(List.of("alice", "bob"), deployed.approvals().stream().map(Deployment.Approval::by).toList());
        assertEquals(List.of("{\"text\":\"shop v1.4.0 is live in production\"}"), posts);
        assertFalse(answers(STAGING), "a tag deploys to production only");

        // v1.4.1 is broken: approved and deployed, it fails verify, and production gets v1.4.0
        // and the database from the backup taken before the deploy back.
        posts.clear();
        Files.createFile(shop.resolve("app/BROKEN"));
        assertEquals(Exit.WAITING, tag("v1.4.1", "d4d4d4d").code());
        RunDir broken = new RunStore(state).latest().orElseThrow();
        assertEquals(Exit.OK, pipe("approve", broken.id(), "--as", "bob").code());
        assertEquals(Exit.OK, pipe("approve", broken.id(), "--as", "alice").code());
        CliRun rolledBack = pipe("resume", broken.id());
        assertEquals(Exit.ERRORS, rolledBack.code(), rolledBack::toString);
        assertTrue(rolledBack.out().contains("[deploy_production] rolling back to v1.4.0: verify check"), rolledBack::toString);
        assertTrue(rolledBack.out().contains("[deploy_production/restore database] restored the production database from"),
                rolledBack::toString);
        assertEquals("200 {\"version\":\"v1.4.0\"}", get(PRODUCTION, "/version"));
        assertFalse(Files.exists(shop.resolve(".pipe-demo/production/MAINTENANCE")), "finally turned maintenance off");
        Deployment back = new Ledger(state).history("production").get(0);
        assertEquals("v1.4.1", back.version());
        assertEquals(Deployment.Outcome.ROLLED_BACK, back.outcome());
        assertEquals("v1.4.0", back.restoredVersion());
        assertEquals(List.of("{\"text\":\"shop run " + broken.id() + " (tag) failed at stage deploy_production\"}"), posts);
        assertNoSecretsUnderState();
    }

    private CliRun tag(String version, String sha) {
        shas.add(sha);
        return pipe("run", shop.resolve("shop.pipe").toString(), "--event", "tag", "--tag", version, "--sha", sha,
                "--as", "carol", "--at", IN_WINDOW, "--secrets-file", secrets.toString(), "--parallel", "4");
    }

    private CliRun push(String sha) {
        shas.add(sha);
        return pipe("run", shop.resolve("shop.pipe").toString(), "--event", "push", "--branch", "develop", "--sha", sha,
                "--secrets-file", secrets.toString(), "--parallel", "4");
    }

    private CliRun pipe(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state", state.toString()));
        Map<String, String> env = new HashMap<>();
        if (System.getenv("DOCKER_HOST") != null) {
            env.put("DOCKER_HOST", System.getenv("DOCKER_HOST"));
        }
        return CliRun.of(env, all.toArray(String[]::new));
    }

    private void assertNoSecretsUnderState() throws IOException {
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                for (String secret : List.of(DB_SECRET, REDIS_SECRET, HOOK_TOKEN)) {
                    assertFalse(text.contains(secret), "a secret is in " + state.relativize(f));
                }
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    private static boolean answers(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    /**
     * Skips the test when no engine answers, or when the stand-in images are missing and
     * scripts/shop-test-images.sh cannot make them; fails instead when CI=true.
     */
    private static void requireDockerAndImages() throws Exception {
        if (engine == null) {
            engine = DockerEngine.connect(System.getenv());
        }
        String why = engine.unreachable();
        if (why == null && !CliRun.onPath("node")) {
            why = "the deploy scripts run the shop's server with node, which is not installed here";
        }
        if (why == null && !IMAGES.stream().allMatch(engine::hasImage)) {
            Path script = CliRun.root().resolve("scripts/shop-test-images.sh");
            Path log = Files.createTempFile("shop-test-images", ".log");
            try {
                Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
                if (!IMAGES.stream().allMatch(engine::hasImage)) {
                    why = "the stand-in images " + IMAGES + " are missing and scripts/shop-test-images.sh could not make them: "
                            + Files.readString(log).strip();
                }
            } finally {
                Files.deleteIfExists(log);
            }
        }
        if (why != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true, so the shop's deployment tests must run, but " + why);
            }
            Assumptions.abort("the shop's deployment tests skipped: " + why
                    + " (scripts/docker-test-env.sh starts dockerd, scripts/shop-test-images.sh makes the images)");
        }
    }

    private static void docker(String... args) throws Exception {
        String[] cmd = Stream.concat(Stream.of("docker"), Stream.of(args)).toArray(String[]::new);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
    }
}
