package dev.pipe.engine.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.run.Cancellation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One try of an {@code http URL [expect S] [contains T] [json "P" == V]... [timeout D]} check: a
 * GET that follows redirects (not from https to http), then, in this order, the status (the
 * expected one, or any 2xx), the text the body must contain, and each JSON assertion. The first
 * that does not hold fails the try and is its detail.
 *
 * <p>The whole try, connection and body included, must end within the timeout (10 seconds by
 * default). Only the first {@value #BODY_CAP} bytes of the body are read; {@code contains} and
 * {@code json} see that much.
 */
public final class HttpProbe implements Probe {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The most bytes of a body a check reads: 1 MiB. */
    public static final int BODY_CAP = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final class Shared {
        static final HttpClient CLIENT = HttpSupport.newClient();
    }

    private final HttpClient client;
    private final URI uri;
    private final String url;
    private final Integer expect;
    private final String contains;
    private final List<JsonAssertion> json;
    private final Duration timeout;

    /**
     * A probe on a client shared by all probes.
     *
     * @param expect the status that counts as healthy; null for any 2xx
     * @param contains text the body must contain; null for none
     * @param json assertions on the JSON body, checked in order
     * @param timeout the longest one try may take; null for {@link #DEFAULT_TIMEOUT}
     * @throws IllegalArgumentException when the address is not an http:// or https:// URL
     */
    public HttpProbe(String url, Integer expect, String contains, List<JsonAssertion> json, Duration timeout) {
        this(Shared.CLIENT, url, expect, contains, json, timeout);
    }

    public HttpProbe(HttpClient client, String url, Integer expect, String contains, List<JsonAssertion> json,
            Duration timeout) {
        this.client = client;
        this.uri = HttpSupport.uri(url, "the check's address");
        this.url = url.strip();
        this.expect = expect;
        this.contains = contains;
        this.json = List.copyOf(json);
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (!this.timeout.isPositive()) {
            throw new IllegalArgumentException("the check's timeout must be longer than 0s");
        }
    }

    /** A name for the console and the journal: {@code GET URL}. */
    public String describe() {
        return "GET " + url;
    }

    @Override
    public ProbeResult attempt(Cancellation cancel) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "pipe verify").GET().build();
        CompletableFuture<HttpResponse<HttpSupport.Body>> call = client.sendAsync(request, HttpSupport.cappedAt(BODY_CAP));
        Runnable off = cancel.onCancel(() -> call.cancel(true));
        HttpResponse<HttpSupport.Body> response;
        try {
            response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return ProbeResult.fail("timed out after " + HttpSupport.format(timeout));
        } catch (CancellationException e) {
            return ProbeResult.fail("cancelled");
        } catch (ExecutionException e) {
            // Cancelling the call may end it with an IOException rather than a CancellationException.
            if (cancel.isCancelled()) {
                return ProbeResult.fail("cancelled");
            }
            if (HttpSupport.isTimeout(e.getCause())) {
                return ProbeResult.fail("timed out after " + HttpSupport.format(timeout));
            }
            return ProbeResult.fail(HttpSupport.describe(e.getCause(), uri));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } finally {
            off.run();
        }
        return judge(response.statusCode(), response.body());
    }

    private ProbeResult judge(int status, HttpSupport.Body body) {
        if (expect != null ? status != expect : status / 100 != 2) {
            return ProbeResult.fail("HTTP " + status + " from " + url + ", expected " + (expect != null ? expect : "a 2xx status"));
        }
        String text = body.text();
        String cut = body.truncated() ? " (pipe read only its first 1 MiB)" : "";
        if (contains != null && !text.contains(contains)) {
            return ProbeResult.fail("body does not contain " + quote(contains) + cut);
        }
        if (!json.isEmpty()) {
            JsonNode doc;
            try {
                doc = text.isBlank() ? null : JSON.readTree(text);
            } catch (JsonProcessingException e) {
                doc = null;
            }
            if (doc == null) {
                return ProbeResult.fail("body is not JSON" + (text.isBlank() ? " (it is empty)" : cut)
                        + ", so json " + json.getFirst().path() + " cannot be checked");
            }
            for (JsonAssertion a : json) {
                String wrong = a.check(doc);
                if (wrong != null) {
                    return ProbeResult.fail(wrong);
                }
            }
        }
        return ProbeResult.pass("HTTP " + status + " from " + url);
    }

    private static String quote(String s) {
        String q = s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "\"" + (q.length() <= 80 ? q : q.substring(0, 77) + "...") + "\"";
    }
}
