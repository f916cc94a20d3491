package dev.pipe.engine.verify;

import dev.pipe.lang.time.Durations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLException;

/**
 * What the {@code http} check and the {@code http} step share: a body read only up to a cap, so
 * that a huge answer cannot fill the memory, and failures said in a few words.
 */
public final class HttpSupport {
    private HttpSupport() {
    }

    /**
     * A response body read up to a cap.
     *
     * @param truncated whether the server sent more than the cap; the rest was not read
     */
    public record Body(byte[] bytes, Charset charset, boolean truncated) {
        /** The body as text, in the charset the response declared (UTF-8 when it declared none). */
        public String text() {
            String s = new String(bytes, charset);
            // A cut can split a multi-byte character; drop the broken end rather than show it.
            if (truncated) {
                int end = s.length();
                while (end > 0 && s.charAt(end - 1) == '\uFFFD') {
                    end--;
                }
                s = s.substring(0, end);
            }
            return s;
        }
    }

    /** A client that follows redirects, except from https to http. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Checks that {@code url} is an absolute http:// or https:// address.
     *
     * @param what how a message names the address, such as "the check's address"
     * @throws IllegalArgumentException with a one-line message when it is not
     */
    public static URI uri(String url, String what) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " \"" + url + "\" is not a valid URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " \"" + url + "\" is not an http:// or https:// URL");
        }
        return uri;
    }

    /** Reads at most {@code cap} bytes of the body, then stops reading and closes the exchange. */
    public static HttpResponse.BodyHandler<Body> cappedAt(int cap) {
        return info -> new CappedSubscriber(cap, charset(info.headers()));
    }

    private static Charset charset(HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("");
        for (String param : type.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).replace("\"", "").strip();
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static final class CappedSubscriber implements HttpResponse.BodySubscriber<Body> {
        private final int cap;
        private final Charset charset;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedSubscriber(int cap, Charset charset) {
            this.cap = cap;
            this.charset = charset;
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                int room = cap - buf.size();
                if (b.remaining() > room) {
                    byte[] part = new byte[room];
                    b.get(part);
                    buf.writeBytes(part);
                    result.complete(new Body(buf.toByteArray(), charset, true));
                    subscription.cancel();
                    return;
                }
                byte[] all = new byte[b.remaining()];
                b.get(all);
                buf.writeBytes(all);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(buf.toByteArray(), charset, false));
        }
    }

    /** Whether {@code t}, or what caused it, is the client's own timeout. */
    public static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Why a request got no answer, in a few words: "connection refused", "host not found: x". */
    public static String describe(Throwable t, URI uri) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused";
            }
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return "host not found: " + uri.getHost();
            }
            if (c instanceof SSLException) {
                return "TLS failed: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        if (root instanceof IOException && root.getMessage() != null) {
            String m = root.getMessage();
            if (m.contains("received no bytes")) {
                return "the server closed the connection without an answer";
            }
            return "request failed: " + m;
        }
        return "request failed: " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    /** A duration as a pipe literal ({@code 5s}, {@code 1m30s}), rounded down to milliseconds. */
    public static String format(Duration d) {
        return Durations.format(Duration.ofMillis(d.toMillis()));
    }
}
