package dev.pipe.stdlib.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http step against a server on 127.0.0.1. */
class HttpTest {
    /** What the server saw of one request. */
    record Seen(String method, String path, String body, String contentType, String token) {
    }

    private HttpServer server;
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final StringBuilder log = new StringBuilder();
    private final OutputSink sink = (stream, chunk) -> log.append(stream).append(": ").append(chunk);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api", ex -> {
            record(ex);
            send(ex, ex.getRequestMethod().equals("POST") ? 201 : 200, "{\"total\":756}");
        });
        server.createContext("/down", ex -> {
            record(ex);
            send(ex, 503, "maintenance until 10:00");
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/api");
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        server.createContext("/big", ex -> send(ex, 200, "é".repeat(40 * 1024)));
        server.createContext("/slow", ex -> {
            arrived.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, "late");
        });
        server.start();
    }

    private void record(HttpExchange ex) throws IOException {
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization")));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
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

    private static StepFunction.Args args(String url, Map<String, String> named, List<String> headers) {
        return Calls.args(url, named, headers == null ? Map.of() : Map.of("headers", headers));
    }

    private StepFunction.Result call(String url, Map<String, String> named) throws InterruptedException {
        return call(url, named, null, null, new Cancellation());
    }

    private StepFunction.Result call(String url, Map<String, String> named, List<String> headers, Duration timeout,
            Cancellation cancel) throws InterruptedException {
        return new Http().run(args(url, named, headers), sink, cancel, timeout);
    }

    @Test
    void itIsRegisteredAsTheHttpStep() {
        assertTrue(StepFunctions.all().stream().anyMatch(f -> f.name().equals("http") && f instanceof Http));
    }

    @Test
    void aGetGivesTheStatusAndTheBody() throws Exception {
        StepFunction.Result r = call(url("/api/quote?items=espresso:2"), Map.of());
        assertNull(r.failure());
        assertEquals(Map.of("status", "200", "body", "{\"total\":756}"), r.outputs());
        assertEquals(List.of(new Seen("GET", "/api/quote?items=espresso:2", "", null, null)), seen);
        assertEquals("STDOUT: GET " + url("/api/quote?items=espresso:2") + " -> HTTP 200\n", log.toString());
    }

    @Test
    void methodBodyAndHeadersAreSent() throws Exception {
        StepFunction.Result r = call(url("/api/orders"), Map.of("method", "post", "body", "{\"item\":\"latte\"}", "expect", "201"),
                List.of("Content-Type: application/json", "Authorization: Bearer s3cret:with:colons"), null, new Cancellation());
        assertNull(r.failure());
        assertEquals("201", r.outputs().get("status"));
        assertEquals(List.of(new Seen("POST", "/api/orders", "{\"item\":\"latte\"}", "application/json", "Bearer s3cret:with:colons")),
                seen);
    }

    @Test
    void otherMethodsWork() throws Exception {
        assertNull(call(url("/api/orders/7"), Map.of("method", "DELETE")).failure());
        assertNull(call(url("/api/orders/7"), Map.of("method", "PUT", "body", "x")).failure());
        assertEquals(List.of("DELETE", "PUT"), seen.stream().map(Seen::method).toList());
        assertEquals("x", seen.get(1).body());
    }

    @Test
    void anUnexpectedStatusFailsTheStepAndLogsTheBody() throws Exception {
        StepFunction.Result r = call(url("/down"), Map.of());
        assertEquals("the server answered HTTP 503, expected a 2xx status", r.failure());
        assertEquals(Map.of(), r.outputs());
        assertTrue(log.toString().contains("STDERR: maintenance until 10:00\n"), log::toString);
        assertEquals("the server answered HTTP 200, expected 204", call(url("/api"), Map.of("expect", "204")).failure());
        assertNull(call(url("/down"), Map.of("expect", "503")).failure());
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        StepFunction.Result r = call(url("/moved"), Map.of());
        assertEquals("200", r.outputs().get("status"));
        assertEquals("/api", seen.getFirst().path());
    }

    @Test
    void theBodyOutputHoldsTheFirst64KiB() throws Exception {
        StepFunction.Result r = call(url("/big"), Map.of());
        assertNull(r.failure());
        // 80 KiB of two-byte characters: 64 KiB is 32768 of them, none cut in half.
        assertEquals("é".repeat(32 * 1024), r.outputs().get("body"));
        assertTrue(log.toString().contains("the body output holds its first 64 KiB"), log::toString);
    }

    @Test
    void theShorterOfTheTwoTimeoutsApplies() throws Exception {
        StepFunction.Result r = call(url("/slow"), Map.of("timeout", "200ms"), null, Duration.ofMinutes(5), new Cancellation());
        assertTrue(r.timedOut());
        assertEquals("the server did not answer within 200ms", r.failure());
        r = call(url("/slow"), Map.of("timeout", "5m"), null, Duration.ofMillis(250), new Cancellation());
        assertEquals("the server did not answer within 250ms", r.failure());
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
        assertEquals("cancelled: Ctrl-C", call(url("/slow"), Map.of(), null, null, cancel).failure());
    }

    @Test
    void aServerThatIsNotThereFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StepFunction.Result r = call("http://127.0.0.1:" + port + "/api", Map.of());
        assertEquals("the request failed: connection refused", r.failure());
    }

    @Test
    void argumentsThatCannotWorkAreClearErrorsAndSendNothing() throws Exception {
        assertEquals("the address is empty", call("", Map.of()).failure());
        assertEquals("the address is not an http:// or https:// URL", call("ftp://127.0.0.1/x", Map.of()).failure());
        assertEquals("method: \"GE T\" is not an HTTP method such as GET or POST", call(url("/api"), Map.of("method", "GE T")).failure());
        assertEquals("expect: 2000 is not an HTTP status such as 200", call(url("/api"), Map.of("expect", "2000")).failure());
        assertEquals("expect: 200.5 is not an HTTP status such as 200", call(url("/api"), Map.of("expect", "200.5")).failure());
        assertEquals("headers: each header must be written \"Name: value\", such as \"Accept: application/json\"",
                call(url("/api"), Map.of(), List.of("Bearer s3cret"), null, new Cancellation()).failure());
        assertEquals("headers: the header Host cannot be set by a step",
                call(url("/api"), Map.of(), List.of("Host: example.com"), null, new Cancellation()).failure());
        assertTrue(call(url("/api"), Map.of("timeout", "soon")).failure().startsWith("timeout: "));
        assertEquals(List.of(), seen);
        assertTrue(!log.toString().contains("s3cret"), log::toString);
    }

    @Test
    void theUrlMayBeGivenByName() throws Exception {
        StepFunction.Result r = call(null, Map.of("url", url("/api")));
        assertEquals("200", r.outputs().get("status"));
    }
}
