package dev.pipe.stdlib.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JavaScript steps in their sandbox: the API they get, and the escapes they are refused. */
class JsStepFunctionTest {
    @TempDir
    Path dir;

    private final StringBuffer log = new StringBuffer();
    private final OutputSink sink = (stream, chunk) -> log.append(stream == OutputSink.Stream.STDERR ? "! " : "").append(chunk);

    /** A module with one step `s` whose run body is {@code body}. */
    private JsStepFunction step(String params, String outputs, String body) throws IOException {
        return step(params, outputs, body, false, JsSandbox.Limits.STEP);
    }

    private JsStepFunction step(String params, String outputs, String body, boolean exec, JsSandbox.Limits limits)
            throws IOException {
        String text = "export const steps = {\n"
                + "  s: {\n"
                + "    params: " + params + ",\n"
                + "    outputs: " + outputs + ",\n"
                + "    run(step) {\n"
                + body + "\n"
                + "    },\n"
                + "  },\n"
                + "};\n";
        Path file = dir.resolve("m.js");
        Files.writeString(file, text);
        return new JsStepFunction("m.s", file, "steps/m.js", "s", exec, limits);
    }

    private static StepFunction.Args args(String positional, Map<String, String> named) {
        return new StepFunction.Args() {
            @Override
            public String positional() {
                return positional;
            }

            @Override
            public String named(String name) {
                return named.get(name);
            }

            @Override
            public List<String> list(String name) {
                return named.containsKey(name) ? List.of(named.get(name).split(",")) : null;
            }
        };
    }

    private StepFunction.Result run(JsStepFunction fn, StepFunction.Args args) throws InterruptedException {
        return fn.run(args, StepFunction.Host.NONE, sink, new Cancellation(), null);
    }

    private StepFunction.Result run(JsStepFunction fn) throws InterruptedException {
        return run(fn, args(null, Map.of()));
    }

    @Test
    void inputsAreTypedAndOutputsComeBack() throws Exception {
        JsStepFunction fn = step("{ version: { type: 'string', positional: true }, part: { type: 'string', default: 'patch' },"
                        + " dry: { type: 'bool', default: false }, n: { type: 'number', default: 1 }, wait: { type: 'duration', default: 0 },"
                        + " tags: { type: 'list', default: [] } }",
                "['version', 'summary']",
                "const [a, b, c] = step.inputs.version.split('.').map(Number);\n"
                        + "step.log('bumping', step.inputs.version, step.inputs.part);\n"
                        + "console.log('wait', step.inputs.wait, typeof step.inputs.dry, step.inputs.tags.length, step.inputs.n + 1);\n"
                        + "step.outputs.version = step.inputs.part === 'minor' ? `${a}.${b + 1}.0` : `${a}.${b}.${c + 1}`;\n"
                        + "step.outputs.summary = { from: step.inputs.version };");
        StepFunction.Result r = run(fn, args("1.4.2", Map.of("part", "minor", "dry", "true", "n", "41", "wait", "1m30s", "tags", "a,b")));
        assertNull(r.failure(), r.failure() + "\n" + log);
        assertEquals("1.5.0", r.outputs().get("version"));
        assertEquals("{\"from\":\"1.4.2\"}", r.outputs().get("summary"));
        assertTrue(log.toString().contains("bumping 1.4.2 minor\n"), log.toString());
        assertTrue(log.toString().contains("wait 90000 boolean 2 42\n"), log.toString());
    }

    @Test
    void defaultsFillWhatTheCallLeavesOut() throws Exception {
        JsStepFunction fn = step("{ part: { type: 'string', default: 'patch' } }", "['part']", "step.outputs.part = step.inputs.part;");
        StepFunction.Result r = run(fn);
        assertNull(r.failure(), r.failure() + "\n" + log);
        assertEquals("patch", r.outputs().get("part"));
    }

    @Test
    void anAsyncRunIsAwaited() throws Exception {
        JsStepFunction fn = step("{}", "['x']", "return (async () => { await null; step.outputs.x = 'later'; })();");
        StepFunction.Result r = run(fn);
        assertNull(r.failure(), r.failure() + "\n" + log);
        assertEquals("later", r.outputs().get("x"));
    }

    @Test
    void anErrorShowsTheStackAtTheModulesLines() throws Exception {
        JsStepFunction fn = step("{}", "[]", "      helper();\n    function helper() { null.boom; }");
        StepFunction.Result r = run(fn);
        assertNotNull(r.failure());
        // Line 6 of the module is `helper();`, line 7 the function that throws.
        assertTrue(r.failure().startsWith("TypeError: "), r.failure());
        assertTrue(r.failure().endsWith("(at steps/m.js:7:25)"), r.failure());
        assertTrue(log.toString().contains("at helper (steps/m.js:7:25)"), log.toString());
        assertTrue(log.toString().contains("at run (steps/m.js:6:7)"), log.toString());
    }

    @Test
    void aRejectedPromiseFailsWithItsStack() throws Exception {
        JsStepFunction fn = step("{}", "[]", "return (async () => { await null;\n throw new Error('no release today'); })();");
        StepFunction.Result r = run(fn);
        assertEquals("Error: no release today (at steps/m.js:7:8)", r.failure(), log.toString());
    }

    @Test
    void outputsMustBeDeclaredAndSet() throws Exception {
        assertEquals("`m.s` set output `other`, which its module does not declare in `outputs`",
                run(step("{}", "[]", "step.outputs.other = 1;")).failure());
        assertEquals("`m.s` did not set its output `x`", run(step("{}", "['x']", "")).failure());
    }

    @Test
    void hostClassesAreOutOfReach() throws Exception {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("Java.type('java.lang.Runtime').getRuntime().exec('id')",
                "TypeError: Access to host class java.lang.Runtime is not allowed or does not exist.");
        refused.put("Java.type('java.lang.ProcessBuilder')",
                "TypeError: Access to host class java.lang.ProcessBuilder is not allowed or does not exist.");
        refused.put("(0, eval)('this').Java.type('java.io.File')",
                "TypeError: Access to host class java.io.File is not allowed or does not exist.");
        refused.put("Packages.java.lang.System.exit(3)", "TypeError: Packages.java.lang.System.exit is not a function");
        refused.put("java.lang.System.exit(3)", "TypeError: java.lang.System.exit is not a function");
        refused.put("Polyglot.eval('js', '1')", "ReferenceError: Polyglot is not defined");
        refused.put("load('/etc/passwd')", "ReferenceError: load is not defined");
        refused.put("read('/etc/passwd')", "ReferenceError: read is not defined");
        refused.put("quit()", "ReferenceError: quit is not defined");
        for (Map.Entry<String, String> escape : refused.entrySet()) {
            StepFunction.Result r = run(step("{}", "[]", escape.getKey() + ";"));
            assertNotNull(r.failure(), escape.getKey() + " should fail");
            assertTrue(r.failure().startsWith(escape.getValue() + " (at steps/m.js:"), escape.getKey() + ": " + r.failure());
        }
    }

    @Test
    void filesProcessesAndThreadsAreRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cr3t");
        // Importing a file from the module reads the file system: refused.
        StepFunction.Result r = run(step("{}", "[]", "return import('" + secret.toUri() + "').then(() => {});"));
        assertNotNull(r.failure());
        assertFalse(log.toString().contains("s3cr3t"));
        for (String escape : List.of(
                "require('child_process').execSync('id')",
                "process.exit(1)",
                "new Worker('x.js')",
                "fetch('http://127.0.0.1:1/')",
                "new XMLHttpRequest()")) {
            r = run(step("{}", "[]", escape + ";"));
            assertNotNull(r.failure(), escape + " should fail");
            assertTrue(r.failure().contains("is not defined"), escape + ": " + r.failure());
        }
    }

    @Test
    void execIsRefusedUnlessThePipelineAllowsIt() throws Exception {
        StepFunction.Host host = new StepFunction.Host() {
            @Override
            public Map<String, String> env() {
                return Map.of("GREETING", "hi");
            }

            @Override
            public ExecResult exec(String script, OutputSink out, Cancellation cancel, Duration timeout) {
                out.write(OutputSink.Stream.STDOUT, "ran " + script + "\n");
                return new ExecResult(script.contains("fail") ? 2 : 0, false, false, Duration.ZERO);
            }
        };
        JsStepFunction refused = step("{}", "[]", "step.exec('echo hi');", false, JsSandbox.Limits.STEP);
        StepFunction.Result r = refused.run(args(null, Map.of()), host, sink, new Cancellation(), null);
        assertTrue(r.failure().startsWith("Error: `m.s` may not run commands: the pipeline imports its module without `allow exec`"),
                r.failure());
        JsStepFunction allowed = step("{}", "['out', 'code']",
                "const r = step.exec('echo ' + step.env.GREETING);\n"
                        + "step.outputs.out = r.stdout.trim();\n"
                        + "step.outputs.code = step.exec('fail', { allowFailure: true }).exitCode;\n"
                        + "try { step.exec('fail again'); } catch (e) { step.log('caught: ' + e.message); }",
                true, JsSandbox.Limits.STEP);
        r = allowed.run(args(null, Map.of()), host, sink, new Cancellation(), null);
        assertNull(r.failure(), r.failure() + "\n" + log);
        assertEquals("ran echo hi", r.outputs().get("out"));
        assertEquals("2", r.outputs().get("code"));
        assertTrue(log.toString().contains("caught: the command exited with code 2: fail again"), log.toString());
    }

    @Test
    void anEndlessLoopHitsTheStatementLimit() throws Exception {
        JsSandbox.Limits limits = new JsSandbox.Limits(Duration.ofSeconds(60), 100_000, 1L << 40);
        StepFunction.Result r = run(step("{}", "[]", "while (true) {}", false, limits));
        assertEquals("JavaScript ran more than 100000 statements, the limit for a step", r.failure());
    }

    @Test
    void anEndlessLoopHitsTheCpuLimit() throws Exception {
        JsSandbox.Limits limits = new JsSandbox.Limits(Duration.ofMillis(300), Long.MAX_VALUE, 1L << 40);
        StepFunction.Result r = run(step("{}", "[]", "for (;;) { Math.sqrt(2); }", false, limits));
        assertEquals("JavaScript used more than 300ms of CPU time, the limit for JavaScript", r.failure());
    }

    @Test
    void aMemoryBlowUpHitsTheAllocationLimit() throws Exception {
        JsSandbox.Limits limits = new JsSandbox.Limits(Duration.ofSeconds(60), Long.MAX_VALUE, 64L << 20);
        StepFunction.Result r = run(step("{}", "[]", "const keep = []; for (;;) { keep.push('x'.repeat(100000) + keep.length); }",
                false, limits));
        assertEquals("JavaScript allocated more than 64 MB of memory, the limit for JavaScript", r.failure());
    }

    @Test
    void theStepsTimeoutStopsIt() throws Exception {
        JsSandbox.Limits limits = new JsSandbox.Limits(Duration.ofSeconds(60), Long.MAX_VALUE, 1L << 40);
        StepFunction.Result r = step("{}", "[]", "for (;;) {}", false, limits)
                .run(args(null, Map.of()), StepFunction.Host.NONE, sink, new Cancellation(), Duration.ofMillis(200));
        assertTrue(r.timedOut());
        assertEquals("timed out after 200ms", r.failure());
    }

    @Test
    void cancellingTheRunStopsIt() throws Exception {
        JsSandbox.Limits limits = new JsSandbox.Limits(Duration.ofSeconds(60), Long.MAX_VALUE, 1L << 40);
        Cancellation cancel = new Cancellation();
        JsStepFunction fn = step("{}", "[]", "step.log('started'); for (;;) {}", false, limits);
        // Cancelled as soon as the module is running, from the thread that writes its log.
        OutputSink cancelling = (stream, chunk) -> {
            sink.write(stream, chunk);
            if (chunk.contains("started")) {
                cancel.cancel("interrupted by a signal");
            }
        };
        StepFunction.Result r = fn.run(args(null, Map.of()), StepFunction.Host.NONE, cancelling, cancel, null);
        assertEquals("cancelled: interrupted by a signal", r.failure());
    }

    @Test
    void httpGoesThroughTheEngine() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Content-Type")
                    + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out = "{\"ok\":true,\"n\":3}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Answer", "yes");
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/missing") ? 404 : 200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            JsStepFunction fn = step("{ base: 'string' }", "['n', 'missing', 'header']",
                    "const r = step.http({ url: step.inputs.base + '/post', method: 'POST', body: { text: 'hi' } });\n"
                            + "step.outputs.n = r.json().n;\n"
                            + "step.outputs.header = r.headers['x-answer'];\n"
                            + "step.outputs.missing = step.http(step.inputs.base + '/missing').status;");
            StepFunction.Result r = run(fn, args(null, Map.of("base", base)));
            assertNull(r.failure(), r.failure() + "\n" + log);
            assertEquals(Map.of("n", "3", "missing", "404", "header", "yes"), r.outputs());
            assertEquals(List.of("POST /post application/json; charset=utf-8 {\"text\":\"hi\"}", "GET /missing null "), seen);
            assertTrue(log.toString().contains("POST " + base + "/post -> HTTP 200\n"), log.toString());
            // A request nobody answers is an Error in JavaScript, which the step may catch.
            fn = step("{}", "['why']", "try { step.http('http://127.0.0.1:1/'); } catch (e) { step.outputs.why = e.message; }");
            r = run(fn);
            assertNull(r.failure(), r.failure() + "\n" + log);
            assertTrue(r.outputs().get("why").startsWith("GET http://127.0.0.1:1/ failed: "), r.outputs().toString());
        } finally {
            server.stop(0);
        }
    }
}
