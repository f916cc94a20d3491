package dev.pipe.stdlib.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

/** notify.webhook against an HTTP server on 127.0.0.1. */
class NotifyWebhookTest {
    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> types = Collections.synchronizedList(new ArrayList<>());
    private volatile int answer = 200;
    private final CountDownLatch release = new CountDownLatch(1);
    private final StringBuilder log = new StringBuilder();
    private final OutputSink sink = (stream, chunk) -> log.append(stream).append(": ").append(chunk);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            types.add(ex.getRequestHeaders().getFirst("Content-Type"));
            byte[] out = (answer == 200 ? "ok" : "no such channel").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(answer, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static StepFunction.Args args(String url, Map<String, String> named) {
        return Calls.args(url, named, Map.of());
    }

    private StepFunction.Result post(String url, Map<String, String> named, Duration timeout, Cancellation cancel)
            throws InterruptedException {
        return new NotifyWebhook().run(args(url, named), sink, cancel, timeout);
    }

    @Test
    void textIsPostedAsSlackStyleJson() throws Exception {
        StepFunction.Result r = post(url("/hook"), Map.of("text", "shop \"v1.4.0\" is live\nin production"), null,
                new Cancellation());
        assertNull(r.failure());
        assertEquals(Map.of("status", "200"), r.outputs());
        assertEquals(List.of("{\"text\":\"shop \\\"v1.4.0\\\" is live\\nin production\"}"), bodies);
        assertEquals("application/json; charset=utf-8", types.get(0));
        assertEquals("STDOUT: POST " + url("/hook") + " -> HTTP 200\n", log.toString());
    }

    @Test
    void aPayloadIsSentAsItIs() throws Exception {
        String payload = "{\"blocks\":[{\"type\":\"section\"}],\"channel\":\"#deploys\"}";
        StepFunction.Result r = post(url("/hook"), Map.of("payload", payload), null, new Cancellation());
        assertNull(r.failure());
        assertEquals(List.of(payload), bodies);
    }

    @Test
    void aPayloadThatIsNotJsonFailsWithoutSendingAnything() throws Exception {
        StepFunction.Result r = post(url("/hook"), Map.of("payload", "{\"text\": "), null, new Cancellation());
        assertTrue(r.failure().startsWith("payload is not valid JSON"), r.failure());
        assertEquals(List.of(), bodies);
    }

    @Test
    void anAnswerOutsideTwoHundredsFailsTheStepAndLogsTheBody() throws Exception {
        answer = 404;
        StepFunction.Result r = post(url("/hook"), Map.of("text", "hi"), null, new Cancellation());
        assertEquals("the webhook answered HTTP 404", r.failure());
        assertTrue(log.toString().contains("STDERR: no such channel"), log::toString);
    }

    @Test
    void addressesThatCannotWorkAreClearErrors() throws Exception {
        assertEquals("the webhook address is empty; is its secret set?", post("", Map.of("text", "x"), null, new Cancellation()).failure());
        assertEquals("the webhook address must be an http:// or https:// URL",
                post("ftp://127.0.0.1/x", Map.of("text", "x"), null, new Cancellation()).failure());
        assertEquals("notify.webhook needs `text:` or `payload:`", post(url("/hook"), Map.of(), null, new Cancellation()).failure());
    }

    @Test
    void aServerThatIsNotThereFails() throws Exception {
        server.stop(0);
        StepFunction.Result r = post(url("/hook"), Map.of("text", "hi"), Duration.ofSeconds(5), new Cancellation());
        assertTrue(r.failure().startsWith("the webhook could not be reached"), r.failure());
    }

    @Test
    void noAnswerWithinTheTimeoutTimesOut() throws Exception {
        StepFunction.Result r = post(url("/slow"), Map.of("text", "hi"), Duration.ofMillis(300), new Cancellation());
        assertTrue(r.timedOut());
        assertEquals("the webhook did not answer within 300ms", r.failure());
    }

    @Test
    void aCancelStopsTheRequest() throws Exception {
        Cancellation cancel = new Cancellation();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            cancel.cancel("Ctrl-C");
        });
        StepFunction.Result r = post(url("/slow"), Map.of("text", "hi"), Duration.ofSeconds(30), cancel);
        assertEquals("cancelled: Ctrl-C", r.failure());
    }
}
