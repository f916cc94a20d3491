package dev.pipe.stdlib.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code notify.webhook URL text: "..."} or {@code payload: "{...}"}: POSTs a JSON body to a chat
 * or incident webhook (Slack, Mattermost, Teams, a custom receiver). With {@code text} the body
 * is {@code {"text": TEXT}}, which Slack-style webhooks understand; {@code payload} is sent as it
 * is and must be a JSON document. Any 2xx answer succeeds; anything else, a connection that
 * fails, or no answer within the step's timeout (30 seconds when it has none) fails the step,
 * so {@code retry} and {@code allow_failure} apply as to any step.
 *
 * <p>The address is usually a secret: the step's log names it, and the run masks it there.
 * Outputs: {@code status}, the HTTP status code.
 */
public final class NotifyWebhook implements StepFunction {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    // Made on first use: see Http.
    private final java.util.function.Supplier<HttpClient> client;

    public NotifyWebhook() {
        this.client = Lazy.of(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    NotifyWebhook(HttpClient client) {
        this.client = () -> client;
    }

    @Override
    public String name() {
        return "notify.webhook";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
        String url = args.positional();
        if (url == null || url.isBlank()) {
            return Result.failed("the webhook address is empty; is its secret set?");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            return Result.failed("the webhook address is not a valid URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            return Result.failed("the webhook address must be an http:// or https:// URL");
        }
        String body;
        String payload = args.named("payload");
        String text = args.named("text");
        if (payload != null) {
            try {
                JSON.readTree(payload);
            } catch (JsonProcessingException e) {
                return Result.failed("payload is not valid JSON: " + e.getOriginalMessage());
            }
            body = payload;
        } else if (text != null) {
            try {
                body = JSON.writeValueAsString(Map.of("text", text));
            } catch (JsonProcessingException e) {
                return Result.failed("pipe could not write the message as JSON: " + e.getOriginalMessage());
            }
        } else {
            return Result.failed("notify.webhook needs `text:` or `payload:`");
        }
        Duration limit = timeout == null ? DEFAULT_TIMEOUT : timeout;
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(limit)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "pipe")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        CompletableFuture<HttpResponse<String>> call = client.get().sendAsync(request, HttpResponse.BodyHandlers.ofString());
        Runnable off = cancel.onCancel(() -> call.cancel(true));
        HttpResponse<String> response;
        try {
            response = call.get();
        } catch (CancellationException e) {
            return Result.failed("cancelled" + (cancel.reason() == null ? "" : ": " + cancel.reason()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return Result.timedOut("the webhook did not answer within " + dev.pipe.lang.time.Durations.format(limit));
            }
            String why = cause instanceof IOException && cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName();
            log.write(OutputSink.Stream.STDERR, "POST " + url + " failed: " + why + "\n");
            return Result.failed("the webhook could not be reached: " + why);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } finally {
            off.run();
        }
        int status = response.statusCode();
        log.write(OutputSink.Stream.STDOUT, "POST " + url + " -> HTTP " + status + "\n");
        if (status / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            if (!answer.isEmpty()) {
                log.write(OutputSink.Stream.STDERR, abbreviate(answer) + "\n");
            }
            return Result.failed("the webhook answered HTTP " + status);
        }
        return Result.ok(Map.of("status", Integer.toString(status)));
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
