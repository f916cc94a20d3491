package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.engine.verify.HttpSupport;
import dev.pipe.lang.time.Durations;
import dev.pipe.lang.time.TimeSyntaxException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code http URL [method: M] [body: B] [expect: S] [timeout: D] [headers: ["Name: value", ...]]}:
 * sends one request and succeeds when the answer has the expected status (any 2xx by default).
 * Redirects are followed, except from https to http. The request must be answered, body
 * included, within {@code timeout:} or the step's {@code timeout}, whichever is shorter, or
 * 30 seconds when neither is given.
 *
 * <p>Outputs: {@code status}, and {@code body}, the first {@value #BODY_CAP} bytes (64 KiB) of
 * the answer as text; the rest is not read. The step's log says the method, the address and the
 * status, and on a failure the start of the body.
 */
public final class Http implements StepFunction {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The most bytes of an answer the step reads and gives as its {@code body} output: 64 KiB. */
    public static final int BODY_CAP = 64 * 1024;

    // Made on first use: an HttpClient starts a selector thread, which holds up the JVM's exit
    // by 300 ms in every run that never makes a request.
    private final java.util.function.Supplier<HttpClient> client;

    public Http() {
        this.client = Lazy.of(HttpSupport::newClient);
    }

    Http(HttpClient client) {
        this.client = () -> client;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
        String url = args.positional() != null ? args.positional() : args.named("url");
        URI uri;
        try {
            uri = HttpSupport.uri(url, "the address");
        } catch (IllegalArgumentException e) {
            // The address may hold a secret: the reason names no address.
            return Result.failed(url == null || url.isBlank() ? "the address is empty"
                    : "the address is not an http:// or https:// URL");
        }
        String method = args.named("method") == null ? "GET" : args.named("method").strip().toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) {
            return Result.failed("method: \"" + args.named("method") + "\" is not an HTTP method such as GET or POST");
        }
        Integer expect = null;
        if (args.named("expect") != null) {
            try {
                expect = new BigDecimal(args.named("expect").strip()).intValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                expect = -1;
            }
            if (expect < 100 || expect > 599) {
                return Result.failed("expect: " + args.named("expect") + " is not an HTTP status such as 200");
            }
        }
        Duration limit = timeout;
        if (args.named("timeout") != null) {
            Duration asked;
            try {
                asked = Durations.parse(args.named("timeout").strip());
            } catch (TimeSyntaxException e) {
                return Result.failed("timeout: " + e.getMessage());
            }
            limit = limit == null || asked.compareTo(limit) < 0 ? asked : limit;
        }
        limit = limit == null ? DEFAULT_TIMEOUT : limit;
        if (!limit.isPositive()) {
            return Result.failed("timeout: must be longer than 0s");
        }
        String body = args.named("body");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(limit).header("User-Agent", "pipe")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        List<String> headers = args.list("headers");
        for (String header : headers == null ? List.<String>of() : headers) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? "" : header.substring(0, colon).strip();
            if (name.isEmpty()) {
                // The header's value may be a secret (a token): the reason does not repeat it.
                return Result.failed("headers: each header must be written \"Name: value\", such as \"Accept: application/json\"");
            }
            try {
                request.header(name, header.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                return Result.failed("headers: the header " + name + " cannot be set by a step");
            }
        }
        String target = method + " " + url.strip();
        CompletableFuture<HttpResponse<HttpSupport.Body>> call = client.get().sendAsync(request.build(), HttpSupport.cappedAt(BODY_CAP));
        Runnable off = cancel.onCancel(() -> call.cancel(true));
        HttpResponse<HttpSupport.Body> response;
        try {
            response = call.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return timedOut(log, target, limit);
        } catch (CancellationException e) {
            return cancelled(cancel);
        } catch (ExecutionException e) {
            if (cancel.isCancelled()) {
                return cancelled(cancel);
            }
            if (HttpSupport.isTimeout(e.getCause())) {
                return timedOut(log, target, limit);
            }
            String why = HttpSupport.describe(e.getCause(), uri);
            log.write(OutputSink.Stream.STDERR, target + " failed: " + why + "\n");
            return Result.failed("the request failed: " + why);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } finally {
            off.run();
        }
        int status = response.statusCode();
        HttpSupport.Body answer = response.body();
        String text = answer.text();
        log.write(OutputSink.Stream.STDOUT, target + " -> HTTP " + status + "\n");
        if (expect != null ? status != expect : status / 100 != 2) {
            String shown = text.strip();
            if (!shown.isEmpty()) {
                log.write(OutputSink.Stream.STDERR, (shown.length() <= 500 ? shown : shown.substring(0, 500) + "...") + "\n");
            }
            return Result.failed("the server answered HTTP " + status + ", expected " + (expect != null ? expect : "a 2xx status"));
        }
        if (answer.truncated()) {
            log.write(OutputSink.Stream.STDOUT, "the body is longer than 64 KiB; the body output holds its first 64 KiB\n");
        }
        return Result.ok(Map.of("status", Integer.toString(status), "body", text));
    }

    private static Result timedOut(OutputSink log, String target, Duration limit) {
        log.write(OutputSink.Stream.STDERR, target + " got no answer within " + HttpSupport.format(limit) + "\n");
        return Result.timedOut("the server did not answer within " + HttpSupport.format(limit));
    }

    private static Result cancelled(Cancellation cancel) {
        return Result.failed("cancelled" + (cancel.reason() == null ? "" : ": " + cancel.reason()));
    }
}
