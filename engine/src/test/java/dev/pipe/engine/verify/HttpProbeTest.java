package dev.pipe.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.run.Cancellation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http check against a server on 127.0.0.1. */
class HttpProbeTest {
    private HttpServer server;
    private volatile String health = "{\"status\": \"healthy\", \"services\": {\"database\": \"connected\"}, \"version\": 2}";
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private volatile int failuresBeforePass = 2;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", ex -> send(ex, 200, "application/json", health));
        server.createContext("/down", ex -> send(ex, 503, "text/plain", "maintenance"));
        server.createContext("/created", ex -> send(ex, 201, "text/plain", "made"));
        server.createContext("/products", ex -> send(ex, 200, "text/html", "<li>espresso</li><li>latte</li>"));
        server.createContext("/empty", ex -> send(ex, 200, "application/json", ""));
        server.createContext("/flaky", ex -> {
            boolean up = flakyCalls.incrementAndGet() > failuresBeforePass;
            send(ex, up ? 200 : 503, "application/json", up ? "{\"status\":\"healthy\"}" : "{\"status\":\"starting\"}");
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/health");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/big", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 40; i++) {
                    out.write(chunk);
                }
                out.write("needle".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the probe stopped reading at its cap and closed the connection
            }
        });
        server.createContext("/slow", ex -> {
            arrived.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, "text/plain", "late");
        });
        server.start();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private ProbeResult probe(String path, Integer expect, String contains, List<JsonAssertion> json) throws Exception {
        return new HttpProbe(url(path), expect, contains, json, null).attempt(new Cancellation());
    }

    @Test
    void theExpectedStatusPassesAndAnotherFails() throws Exception {
        assertEquals(ProbeResult.pass("HTTP 200 from " + url("/health")), probe("/health", 200, null, List.of()));
        assertEquals(ProbeResult.fail("HTTP 503 from " + url("/down") + ", expected 200"), probe("/down", 200, null, List.of()));
        assertEquals(ProbeResult.fail("HTTP 201 from " + url("/created") + ", expected 200"), probe("/created", 200, null, List.of()));
        assertTrue(probe("/down", 503, null, List.of()).passed());
    }

    @Test
    void withoutExpectAny2xxPasses() throws Exception {
        assertTrue(probe("/created", null, null, List.of()).passed());
        assertEquals(ProbeResult.fail("HTTP 503 from " + url("/down") + ", expected a 2xx status"),
                probe("/down", null, null, List.of()));
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        assertEquals(ProbeResult.pass("HTTP 200 from " + url("/moved")),
                probe("/moved", 200, null, List.of(JsonAssertion.of("status", "healthy"))));
    }

    @Test
    void theBodyMustContainTheText() throws Exception {
        assertTrue(probe("/products", 200, "espresso", List.of()).passed());
        assertEquals(ProbeResult.fail("body does not contain \"mocha\""), probe("/products", 200, "mocha", List.of()));
    }

    @Test
    void jsonAssertionsAreCheckedInOrder() throws Exception {
        assertTrue(probe("/health", 200, null, List.of(JsonAssertion.of("status", "healthy"),
                JsonAssertion.of("services.database", "connected"), JsonAssertion.of("$.version", 2.0))).passed());
        health = "{\"status\": \"degraded\", \"services\": {\"database\": \"lost\"}}";
        assertEquals(ProbeResult.fail("json status is \"degraded\", expected \"healthy\""),
                probe("/health", 200, null, List.of(JsonAssertion.of("status", "healthy"),
                        JsonAssertion.of("services.database", "connected"))));
        assertEquals(ProbeResult.fail("json services.database is \"lost\", expected \"connected\""),
                probe("/health", 200, null, List.of(JsonAssertion.of("services.database", "connected"))));
    }

    @Test
    void theStatusIsCheckedBeforeTheBody() throws Exception {
        assertEquals(ProbeResult.fail("HTTP 503 from " + url("/down") + ", expected 200"),
                probe("/down", 200, "espresso", List.of(JsonAssertion.of("status", "healthy"))));
    }

    @Test
    void aBodyThatIsNotJsonFailsTheJsonAssertions() throws Exception {
        assertEquals(ProbeResult.fail("body is not JSON, so json status cannot be checked"),
                probe("/products", 200, null, List.of(JsonAssertion.of("status", "healthy"))));
        assertEquals(ProbeResult.fail("body is not JSON (it is empty), so json status cannot be checked"),
                probe("/empty", 200, null, List.of(JsonAssertion.of("status", "healthy"))));
        health = "{\"status\": \"healthy\"} trailing";
        assertEquals(ProbeResult.fail("body is not JSON, so json status cannot be checked"),
                probe("/health", 200, null, List.of(JsonAssertion.of("status", "healthy"))));
    }

    @Test
    void onlyTheFirstMebibyteOfTheBodyIsRead() throws Exception {
        assertEquals(ProbeResult.fail("body does not contain \"needle\" (pipe read only its first 1 MiB)"),
                probe("/big", 200, "needle", List.of()));
    }

    @Test
    void aTryThatTakesTooLongTimesOut() throws Exception {
        ProbeResult r = new HttpProbe(url("/slow"), 200, null, List.of(), Duration.ofMillis(300)).attempt(new Cancellation());
        assertEquals(ProbeResult.fail("timed out after 300ms"), r);
    }

    @Test
    void aRefusedConnectionFailsTheTry() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult r = new HttpProbe("http://127.0.0.1:" + port + "/health", 200, null, List.of(), Duration.ofSeconds(5))
                .attempt(new Cancellation());
        assertEquals(ProbeResult.fail("connection refused"), r);
    }

    @Test
    void aCancelStopsTheRequest() throws Exception {
        Cancellation cancel = new Cancellation();
        Thread.ofVirtual().start(() -> {
            try {
                arrived.await();
            } catch (InterruptedException e) {
                return;
            }
            cancel.cancel("Ctrl-C");
        });
        ProbeResult r = new HttpProbe(url("/slow"), 200, null, List.of(), Duration.ofSeconds(30)).attempt(cancel);
        assertEquals(ProbeResult.fail("cancelled"), r);
    }

    @Test
    void aCheckIsRetriedUntilTheServerIsHealthy() throws Exception {
        FakeTime time = new FakeTime();
        List<Verifier.Try> tries = new java.util.ArrayList<>();
        HttpProbe probe = new HttpProbe(url("/flaky"), 200, null, List.of(JsonAssertion.of("status", "healthy")), null);
        VerifyResult r = time.verifier().verify(VerifySpec.once(List.of(new CheckSpec(probe.describe(), 5, Duration.ofSeconds(10),
                probe))), new Cancellation(), tries::add);
        assertEquals(VerifyResult.Status.PASSED, r.status());
        assertEquals(3, flakyCalls.get());
        assertEquals(List.of("HTTP 503 from " + url("/flaky") + ", expected 200", "HTTP 503 from " + url("/flaky") + ", expected 200",
                "HTTP 200 from " + url("/flaky")), tries.stream().map(Verifier.Try::detail).toList());
        assertEquals("GET " + url("/flaky"), r.checks().getFirst().name());
    }

    @Test
    void aCheckThatNeverRecoversFailsWithItsLastDetail() throws Exception {
        failuresBeforePass = 100;
        FakeTime time = new FakeTime();
        HttpProbe probe = new HttpProbe(url("/flaky"), 200, null, List.of(), null);
        VerifyResult r = time.verifier().verify(VerifySpec.once(List.of(new CheckSpec("health", 2, null, probe))),
                new Cancellation(), Verifier.Listener.NONE);
        assertEquals(VerifyResult.Status.FAILED, r.status());
        assertEquals(3, flakyCalls.get());
        assertEquals("verify check \"health\" failed: HTTP 503 from " + url("/flaky") + ", expected 200", r.describe());
    }

    @Test
    void addressesThatCannotWorkAreRefusedUpFront() {
        assertEquals("the check's address \"ftp://x/y\" is not an http:// or https:// URL",
                assertThrows(IllegalArgumentException.class, () -> new HttpProbe("ftp://x/y", null, null, List.of(), null)).getMessage());
        assertEquals("the check's address is empty",
                assertThrows(IllegalArgumentException.class, () -> new HttpProbe(" ", null, null, List.of(), null)).getMessage());
    }
}
