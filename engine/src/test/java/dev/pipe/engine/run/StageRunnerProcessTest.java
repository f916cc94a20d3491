package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.FixedFacts;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage runner with real processes, through a tiny bash executor kept here on purpose. */
class StageRunnerProcessTest {
    @TempDir
    Path temp;

    /** Runs {@code bash -c}; on timeout or cancel kills the process (no tree handling: tests keep to one process). */
    static final class BashExecutor implements Executor {
        @Override
        public ExecResult exec(ShellCommand command, OutputSink sink, Cancellation cancel) throws InterruptedException {
            long start = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder("bash", "-eo", "pipefail", "-c", command.script())
                    .directory(command.workdir().toFile());
            pb.environment().clear();
            pb.environment().putAll(command.env());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread out = pump(p.getInputStream(), sink, OutputSink.Stream.STDOUT);
            Thread err = pump(p.getErrorStream(), sink, OutputSink.Stream.STDERR);
            Runnable off = cancel.onCancel(p::destroyForcibly);
            try {
                boolean done = true;
                if (command.timeout() == null) {
                    p.waitFor();
                } else {
                    done = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!done) {
                    p.destroyForcibly().waitFor();
                }
                out.join();
                err.join();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                return new ExecResult(p.exitValue(), !done, done && cancel.isCancelled(), took);
            } finally {
                off.run();
            }
        }

        private static Thread pump(InputStream in, OutputSink sink, OutputSink.Stream stream) {
            return Thread.ofVirtual().start(() -> {
                try (in) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sink.write(stream, new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the process was killed
                }
            });
        }
    }

    private StageRunner.Outcome run(String text, String stage, FixedFacts facts, RecordingListener listener)
            throws InterruptedException {
        ParseResult r = SourceParser.parse(new SourceFile("t.pipe", text));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        Program program = r.program();
        EventContext ctx = EventContext.push("main", Instant.parse("2026-11-24T15:00:00Z"));
        Plan plan = Planner.plan(program, ctx);
        assertEquals(java.util.List.of(), StageRunner.unsupportedSteps(plan));
        StageRunner runner = new StageRunner(program, ctx, temp, Map.of("PATH", System.getenv("PATH")), temp,
                new BashExecutor(), listener, StageRunner.Sleeper.REAL);
        return runner.run(plan.stage(stage).orElseThrow(), facts, Map.of(), new Cancellation());
    }

    @Test
    void realStepsSeeTheirEnvironmentWriteOutputsAndRetry() throws Exception {
        FixedFacts facts = new FixedFacts();
        facts.secrets.put("TOKEN", "s3cret");
        RecordingListener listener = new RecordingListener();
        StageRunner.Outcome out = run("""
                pipeline p
                on push
                secrets [TOKEN]
                vars { greeting = "hello" }
                stage build {
                  step "write" { sh "echo \\"digest=$greeting-$PIPE_STAGE-${secrets.TOKEN}\\" >> \\"$PIPE_OUTPUT\\"; echo said $TOKEN" }
                  step "flaky" { sh "test -f marker || { touch marker; exit 3; }"  retry 1 backoff 10ms }
                  step "read" { sh "test \\"${steps.write.digest}\\" = hello-build-s3cret && pwd > where" }
                  output digest = steps.write.digest
                  finally { sh "echo cleaned > cleaned" }
                }
                """, "build", facts, listener);
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason() + " " + listener.events);
        assertEquals(Map.of("digest", "hello-build-s3cret"), out.outputs());
        assertTrue(listener.output.toString().contains("said s3cret"), listener.output.toString());
        assertTrue(listener.events.contains("finished build/flaky#1 exit=3 outputs={} reason=exited with code 3"),
                listener.events.toString());
        assertEquals(temp.toRealPath().toString(), Files.readString(temp.resolve("where")).strip());
        assertEquals("cleaned", Files.readString(temp.resolve("cleaned")).strip());
    }

    @Test
    void aStageTimeoutStopsItsStepAndFinallyStillRuns() throws Exception {
        RecordingListener listener = new RecordingListener();
        long start = System.nanoTime();
        StageRunner.Outcome out = run("""
                pipeline p
                on push
                stage slow {
                  timeout 300ms
                  step "sleep" { sh "sleep 20" }
                  step "never" { sh "touch never" }
                  finally { sh "touch cleaned" }
                }
                """, "slow", new FixedFacts(), listener);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals("stage `slow` timed out after 300ms", out.result().reason());
        assertTrue(Files.exists(temp.resolve("cleaned")));
        assertTrue(!Files.exists(temp.resolve("never")));
    }
}
