package dev.pipe.stdlib.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.engine.verify.HttpSupport;
import dev.pipe.lang.time.Durations;
import dev.pipe.lang.time.TimeSyntaxException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One step of a JavaScript module, such as {@code semver.bump}. Each call gets a fresh sandboxed
 * context (see {@link JsSandbox}) that evaluates the module and calls the step's
 * {@code run(step)} with:
 *
 * <ul>
 *   <li>{@code step.inputs}: the arguments, typed as declared (a duration is a number of
 *       milliseconds, a list an array of strings), defaults filled in;
 *   <li>{@code step.outputs}: an object to set the declared outputs on;
 *   <li>{@code step.log(...)} and {@code step.warn(...)} (and {@code console.log}): the step's log,
 *       masked like any step's output;
 *   <li>{@code step.env}: the variables an {@code sh} step there would see, without the machine's;
 *   <li>{@code step.http(url | request)}: an HTTP request made by pipe, which waits for the answer;
 *   <li>{@code step.exec(command)}: a command on the stage's runner, only when the pipeline
 *       imports the module with {@code allow exec}.
 * </ul>
 *
 * {@code run} may be an {@code async} function. Whatever it throws fails the step, with the
 * JavaScript stack mapped to the module's lines in the step's log.
 */
final class JsStepFunction implements StepFunction {
    /** The most bytes of an HTTP answer, or of a command's stdout or stderr, handed to JavaScript. */
    static final int TEXT_CAP = 1024 * 1024;
    static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    // Made on first use: see Http.
    private static volatile HttpClient httpClient;

    // The step's side of the bridge: plain JavaScript objects built from JSON, so the module never
    // touches a host object; the host functions take and give JSON text only.
    private static final String PRELUDE = """
            (function (host, inputsJson, envJson, decl) {
              'use strict';
              const show = (v) => {
                if (typeof v === 'string') return v;
                if (v instanceof Error) return String(v.stack || v);
                try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
              };
              const line = (args) => args.map(show).join(' ');
              const call = (name, request) => {
                const answer = JSON.parse(host[name](JSON.stringify(request)));
                if (answer.error !== undefined) throw new Error(answer.error);
                return answer;
              };
              const inputs = JSON.parse(inputsJson);
              const params = (decl && decl.params) || {};
              for (const k of Object.keys(params)) {
                const p = params[k];
                if (inputs[k] === undefined && p !== null && typeof p === 'object' && 'default' in p) inputs[k] = p.default;
              }
              return {
                inputs: Object.freeze(inputs),
                outputs: {},
                env: Object.freeze(JSON.parse(envJson)),
                log: (...a) => { host.log('out', line(a)); },
                warn: (...a) => { host.log('err', line(a)); },
                http: (request, options) => {
                  const r = Object.assign({}, typeof request === 'string' ? { url: request } : request, options);
                  if (r.body !== undefined && typeof r.body !== 'string') {
                    r.body = JSON.stringify(r.body);
                    r.json = true;
                  }
                  const answer = call('http', r);
                  answer.json = () => JSON.parse(answer.body);
                  return answer;
                },
                exec: (command, options) => call('exec', Object.assign({}, options, { command: String(command) })),
              };
            })
            """;

    private static final String FINISH = """
            (function (step) {
              const out = {};
              for (const [k, v] of Object.entries(step.outputs)) {
                if (v === undefined || v === null) continue;
                out[k] = typeof v === 'string' ? v : JSON.stringify(v);
              }
              return JSON.stringify(out);
            })
            """;

    private final String name;
    private final Path file;
    private final String shown;
    private final String step;
    private final boolean allowExec;
    private final JsSandbox.Limits limits;

    JsStepFunction(String name, Path file, String shown, String step, boolean allowExec) {
        this(name, file, shown, step, allowExec, JsSandbox.Limits.STEP);
    }

    JsStepFunction(String name, Path file, String shown, String step, boolean allowExec, JsSandbox.Limits limits) {
        this.name = name;
        this.file = file;
        this.shown = shown;
        this.step = step;
        this.allowExec = allowExec;
        this.limits = limits;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
        return run(args, Host.NONE, log, cancel, timeout);
    }

    @Override
    public Result run(Args args, Host host, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
        JsModule module = JsModules.read(file, shown);
        if (module.error() != null) {
            return Result.failed("module `" + shown + "` cannot be used: " + module.error());
        }
        JsModule.Step decl = module.steps().get(step);
        if (decl == null) {
            return Result.failed("module `" + shown + "` no longer declares step `" + step + "`");
        }
        String inputs;
        String env;
        try {
            inputs = JSON.writeValueAsString(inputs(decl, args));
            env = JSON.writeValueAsString(host.env());
        } catch (BadArgument e) {
            return Result.failed(e.getMessage());
        } catch (IOException e) {
            return Result.failed("pipe could not pass the arguments to JavaScript: " + e.getMessage());
        } catch (RuntimeException e) {
            // A value of the step's environment is not known (such as a secret with no value).
            return Result.failed(e.getMessage());
        }
        // Everything the step starts (requests, commands) ends when the step is stopped.
        Cancellation inner = new Cancellation();
        Runnable off = cancel.onCancel(() -> inner.cancel(cancel.reason()));
        AtomicBoolean tooLong = new AtomicBoolean();
        Context context = JsSandbox.context(limits, new LogStream(log, OutputSink.Stream.STDOUT),
                new LogStream(log, OutputSink.Stream.STDERR), () -> tooLong.set(true));
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Bridge bridge = new Bridge(host, log, inner, timeout);
        try {
            String outputs = JsSandbox.watch(context, limits, deadline, cancel::isCancelled, cancel::reason,
                    () -> inner.cancel("the step was stopped"),
                    () -> call(context, module, bridge, inputs, env));
            return outputs(decl, outputs);
        } catch (JsSandbox.Stopped e) {
            String why = e.timedOut() ? "timed out after " + Durations.format(timeout) : e.getMessage();
            return e.timedOut() ? Result.timedOut(why) : Result.failed(e.getMessage().startsWith("cancelled") ? why : "JavaScript " + why);
        } catch (PolyglotException e) {
            if (tooLong.get()) {
                return Result.failed("JavaScript ran more than " + limits.statements() + " statements, the limit for a step");
            }
            if (e.isCancelled() && cancel.isCancelled()) {
                return Result.failed("cancelled" + (cancel.reason() == null ? "" : ": " + cancel.reason()));
            }
            if (e.isResourceExhausted()) {
                log.write(OutputSink.Stream.STDERR, "JavaScript ran out of memory or stack\n");
                return Result.failed("JavaScript ran out of memory or stack: " + JsErrors.describe(e, shown));
            }
            StringBuilder stack = new StringBuilder(e.getMessage() == null ? "error" : e.getMessage().strip()).append('\n');
            for (String frame : JsErrors.stack(e, shown)) {
                stack.append("    ").append(frame).append('\n');
            }
            log.write(OutputSink.Stream.STDERR, stack.toString());
            return Result.failed(JsErrors.describe(e, shown));
        } catch (Failure e) {
            return Result.failed(e.getMessage());
        } finally {
            off.run();
            JsSandbox.cancel(context);
        }
    }

    /** Evaluates the module and runs the step, on the sandbox's thread; returns the outputs as JSON. */
    private String call(Context context, JsModule module, Bridge bridge, String inputs, String env) {
        Value exports = context.eval(module.source());
        Value decl = exports.getMember("steps").getMember(step);
        Value api = context.eval(Source.newBuilder("js", PRELUDE, "pipe-step-api.js").buildLiteral())
                .execute(bridge.host(), inputs, env, decl);
        Value result = decl.getMember("run").execute(api);
        if (result != null && result.hasMember("then") && result.getMember("then").canExecute()) {
            AtomicReference<Value> failed = new AtomicReference<>();
            AtomicBoolean settled = new AtomicBoolean();
            result.invokeMember("then", (ProxyExecutable) a -> {
                settled.set(true);
                return null;
            }, (ProxyExecutable) a -> {
                settled.set(true);
                failed.set(a.length > 0 ? a[0] : null);
                return null;
            });
            if (failed.get() != null) {
                // Thrown again so that the error's own stack is reported.
                context.eval(Source.newBuilder("js", "(function (e) { throw e; })", "pipe-step-api.js").buildLiteral())
                        .execute(failed.get());
            }
            if (!settled.get()) {
                throw new Failure("`" + name + "` returned a promise that never settled; pipe's step API waits for"
                        + " requests and commands itself, so nothing needs awaiting but what the step starts");
            }
        }
        return context.eval(Source.newBuilder("js", FINISH, "pipe-step-api.js").buildLiteral()).execute(api).asString();
    }

    private Result outputs(JsModule.Step decl, String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().asText());
            }
        } catch (IOException e) {
            return Result.failed("pipe could not read the step's outputs: " + e.getMessage());
        }
        for (String key : out.keySet()) {
            if (!decl.outputs().contains(key)) {
                return Result.failed("`" + name + "` set output `" + key + "`, which its module does not declare in `outputs`");
            }
        }
        for (String declared : decl.outputs()) {
            if (!out.containsKey(declared)) {
                return Result.failed("`" + name + "` did not set its output `" + declared + "`");
            }
        }
        return Result.ok(out);
    }

    private static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message, null, false, false);
        }
    }

    /** A failure pipe detected itself, reported as it is. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** The arguments as JSON, typed as the module declares them. */
    private ObjectNode inputs(JsModule.Step decl, Args args) {
        ObjectNode out = JSON.createObjectNode();
        for (JsModule.Param p : decl.params()) {
            String text = p.positional() && args.positional() != null ? args.positional() : args.named(p.name());
            if (text == null) {
                continue;
            }
            switch (p.type()) {
                case BOOL -> out.put(p.name(), Boolean.parseBoolean(text.strip()));
                case NUMBER -> {
                    try {
                        out.put(p.name(), new BigDecimal(text.strip()));
                    } catch (NumberFormatException e) {
                        throw new BadArgument("argument `" + p.name() + "` is not a number: " + text);
                    }
                }
                case DURATION -> {
                    try {
                        out.put(p.name(), Durations.parse(text.strip()).toMillis());
                    } catch (TimeSyntaxException e) {
                        throw new BadArgument("argument `" + p.name() + "`: " + e.getMessage());
                    }
                }
                case LIST -> {
                    List<String> items = p.positional() && args.positional() != null ? null : args.list(p.name());
                    ArrayNode array = out.putArray(p.name());
                    (items == null ? List.of(text) : items).forEach(array::add);
                }
                default -> out.put(p.name(), text);
            }
        }
        return out;
    }

    /** The host side of the step API: functions that take and give JSON text. */
    private final class Bridge {
        private final Host host;
        private final OutputSink log;
        private final Cancellation cancel;
        private final Duration stepTimeout;

        Bridge(Host host, OutputSink log, Cancellation cancel, Duration stepTimeout) {
            this.host = host;
            this.log = log;
            this.cancel = cancel;
            this.stepTimeout = stepTimeout;
        }

        ProxyObject host() {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("log", (ProxyExecutable) a -> {
                String stream = a[0].asString();
                log.write("err".equals(stream) ? OutputSink.Stream.STDERR : OutputSink.Stream.STDOUT, a[1].asString() + "\n");
                return null;
            });
            members.put("http", (ProxyExecutable) a -> answer(() -> http(JSON.readTree(a[0].asString()))));
            members.put("exec", (ProxyExecutable) a -> answer(() -> exec(JSON.readTree(a[0].asString()))));
            return ProxyObject.fromMap(members);
        }

        private interface Call {
            ObjectNode run() throws IOException, InterruptedException;
        }

        /** The call's answer as JSON; a failure is {@code {"error": "..."}}, which the prelude throws as an Error. */
        private String answer(Call call) {
            ObjectNode out;
            try {
                out = call.run();
            } catch (Failure e) {
                out = JSON.createObjectNode().put("error", e.getMessage());
            } catch (IOException e) {
                out = JSON.createObjectNode().put("error", "pipe could not read the request: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out = JSON.createObjectNode().put("error", "interrupted");
            }
            return out.toString();
        }

        private ObjectNode http(JsonNode r) throws InterruptedException {
            String url = r.path("url").asText(null);
            URI uri;
            try {
                uri = HttpSupport.uri(url, "the address");
            } catch (IllegalArgumentException e) {
                throw new Failure(url == null || url.isBlank() ? "step.http: the address is empty"
                        : "step.http: the address is not an http:// or https:// URL");
            }
            String method = r.path("method").asText("GET").strip().toUpperCase(Locale.ROOT);
            if (!method.matches("[A-Z]+")) {
                throw new Failure("step.http: \"" + method + "\" is not an HTTP method such as GET or POST");
            }
            Duration limit = r.hasNonNull("timeout") ? Duration.ofMillis(r.get("timeout").asLong()) : DEFAULT_HTTP_TIMEOUT;
            if (stepTimeout != null && stepTimeout.compareTo(limit) < 0) {
                limit = stepTimeout;
            }
            if (!limit.isPositive()) {
                throw new Failure("step.http: timeout must be more than 0 milliseconds");
            }
            String body = r.hasNonNull("body") ? r.get("body").asText() : null;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(limit).header("User-Agent", "pipe")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            boolean contentType = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("headers").properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                contentType |= h.getKey().equalsIgnoreCase("content-type");
                try {
                    request.header(h.getKey(), h.getValue().asText());
                } catch (IllegalArgumentException e) {
                    throw new Failure("step.http: the header " + h.getKey() + " cannot be set by a step");
                }
            }
            if (r.path("json").asBoolean(false) && !contentType) {
                request.header("Content-Type", "application/json; charset=utf-8");
            }
            String target = method + " " + url.strip();
            CompletableFuture<HttpResponse<HttpSupport.Body>> call = client().sendAsync(request.build(), HttpSupport.cappedAt(TEXT_CAP));
            Runnable off = cancel.onCancel(() -> call.cancel(true));
            HttpResponse<HttpSupport.Body> response;
            try {
                response = call.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                throw new Failure(target + " got no answer within " + HttpSupport.format(limit));
            } catch (CancellationException e) {
                throw new Failure(target + " was cancelled");
            } catch (ExecutionException e) {
                if (HttpSupport.isTimeout(e.getCause())) {
                    throw new Failure(target + " got no answer within " + HttpSupport.format(limit));
                }
                throw new Failure(target + " failed: " + HttpSupport.describe(e.getCause(), uri));
            } finally {
                off.run();
            }
            log.write(OutputSink.Stream.STDOUT, target + " -> HTTP " + response.statusCode() + "\n");
            ObjectNode out = JSON.createObjectNode();
            out.put("status", response.statusCode());
            out.put("body", response.body().text());
            out.put("truncated", response.body().truncated());
            ObjectNode headers = out.putObject("headers");
            response.headers().map().forEach((k, v) -> {
                if (!v.isEmpty() && !k.startsWith(":")) {
                    headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
                }
            });
            return out;
        }

        private ObjectNode exec(JsonNode r) throws InterruptedException {
            if (!allowExec) {
                throw new Failure("`" + name + "` may not run commands: the pipeline imports its module without `allow exec`");
            }
            String command = r.path("command").asText("");
            if (command.isBlank()) {
                throw new Failure("step.exec: the command is empty");
            }
            Duration limit = r.hasNonNull("timeout") ? Duration.ofMillis(r.get("timeout").asLong()) : stepTimeout;
            Capture out = new Capture();
            Capture err = new Capture();
            OutputSink sink = (stream, chunk) -> {
                log.write(stream, chunk);
                (stream == OutputSink.Stream.STDERR ? err : out).add(chunk);
            };
            ExecResult result;
            if (host == StepFunction.Host.NONE) {
                throw new Failure("step.exec: there is no runner to run commands on here");
            }
            result = host.exec(command, sink, cancel, limit);
            if (!result.succeeded() && !r.path("allowFailure").asBoolean(false)) {
                throw new Failure("the command " + (result.timedOut() ? "timed out" : result.cancelled() ? "was cancelled"
                        : "exited with code " + result.exitCode()) + ": " + abbreviate(command));
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("exitCode", result.exitCode());
            o.put("timedOut", result.timedOut());
            o.put("stdout", out.text());
            o.put("stderr", err.text());
            return o;
        }
    }

    private static String abbreviate(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() <= 80 && !s.strip().contains("\n") ? line : line.substring(0, Math.min(80, line.length())) + "...";
    }

    /** Output kept for JavaScript, up to {@link #TEXT_CAP} characters. */
    private static final class Capture {
        private final StringBuilder text = new StringBuilder();

        synchronized void add(String chunk) {
            if (text.length() < TEXT_CAP) {
                text.append(chunk, 0, Math.min(chunk.length(), TEXT_CAP - text.length()));
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }

    private static HttpClient client() {
        HttpClient c = httpClient;
        if (c == null) {
            synchronized (JsStepFunction.class) {
                c = httpClient;
                if (c == null) {
                    c = HttpSupport.newClient();
                    httpClient = c;
                }
            }
        }
        return c;
    }

    /** The console of a context: what it prints goes to the step's log, as text. */
    private static final class LogStream extends OutputStream {
        private final OutputSink sink;
        private final OutputSink.Stream stream;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LogStream(OutputSink sink, OutputSink.Stream stream) {
            this.sink = sink;
            this.stream = stream;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            flush();
        }

        @Override
        public synchronized void flush() {
            if (pending.size() > 0) {
                sink.write(stream, pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
