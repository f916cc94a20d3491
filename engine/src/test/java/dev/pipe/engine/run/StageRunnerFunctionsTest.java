package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.EventKind;
import dev.pipe.engine.plan.FixedFacts;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps that pipe runs itself (step functions), and the pipeline's hooks. */
class StageRunnerFunctionsTest {
    private static final Instant AT = Instant.parse("2026-11-24T15:00:00Z");
    private static final EventContext PUSH = EventContext.builder(EventKind.PUSH, AT).branch("main").sha("abcdef1234").build();

    @TempDir
    Path temp;

    final FakeExecutor exec = new FakeExecutor();
    final RecordingListener listener = new RecordingListener();
    final List<Duration> slept = new ArrayList<>();
    final FixedFacts facts = new FixedFacts();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** The results the fake function gives, one per call; the last one repeats. */
    final List<StepFunction.Result> results = new ArrayList<>(List.of(StepFunction.Result.ok(Map.of("status", "200"))));

    private Program program;
    private Plan plan;

    private final StepFunction notify = new StepFunction() {
        @Override
        public String name() {
            return "notify.webhook";
        }

        @Override
        public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
            calls.add(args.positional() + " | " + args.named("text") + " | " + timeout);
            log.write(OutputSink.Stream.STDOUT, "posted\n");
            return results.size() > 1 ? results.remove(0) : results.get(0);
        }
    };

    private void pipeline(String text) {
        ParseResult r = SourceParser.parse(new SourceFile("t.pipe", text));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        program = r.program();
        plan = Planner.plan(program, PUSH);
    }

    private StageRunner runner() {
        return new StageRunner(program, PUSH, temp, Map.of("PATH", "/usr/bin"), temp, exec, listener,
                (d, c) -> slept.add(d), List.of(notify));
    }

    @Test
    void aStepFunctionGetsItsArgumentsWithSecretsRevealedAndItsOutputsAreKept() throws Exception {
        pipeline("""
                pipeline p
                on push
                secrets [HOOK]
                stage tell {
                  step "ping" {
                    notify.webhook secrets.HOOK text: "built ${git.short_sha}"
                    timeout 5s
                  }
                  output status = steps.ping.status
                }
                """);
        facts.secrets.put("HOOK", "http://127.0.0.1:9/h00k");
        StageRunner.Outcome out = runner().run(plan.stage("tell").orElseThrow(), facts, Map.of(), new Cancellation());
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        assertEquals(List.of("http://127.0.0.1:9/h00k | built abcdef1 | PT5S"), calls);
        assertEquals(Map.of("status", "200"), out.outputs());
        assertEquals("posted\n", listener.output.toString());
        assertEquals(List.of("started tell/ping#1", "finished tell/ping#1 exit=0 outputs={status=200} reason=null"),
                listener.events);
        assertEquals(List.of(), StageRunner.unsupportedSteps(plan, Set.of("notify.webhook")));
        assertEquals(1, StageRunner.unsupportedSteps(plan).size());
    }

    @Test
    void aFailedStepFunctionIsRetriedWithBackoffLikeACommand() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage tell {
                  step "ping" {
                    notify.webhook "http://127.0.0.1:9/" text: "hi"
                    retry 2
                    backoff 3s
                  }
                }
                """);
        results.clear();
        results.add(StepFunction.Result.failed("the webhook answered HTTP 502"));
        results.add(StepFunction.Result.failed("the webhook answered HTTP 503"));
        results.add(StepFunction.Result.ok(Map.of()));
        StageRunner.Outcome out = runner().run(plan.stage("tell").orElseThrow(), facts, Map.of(), new Cancellation());
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        assertEquals(3, calls.size());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(6)), slept);
        assertEquals("finished tell/ping#1 exit=1 outputs={} reason=the webhook answered HTTP 502", listener.events.get(1));
    }

    @Test
    void aFunctionTheRunnerDoesNotHaveFailsTheStepBeforeAnythingRuns() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage tell {
                  step "ping" { notify.webhook "http://127.0.0.1:9/" text: "hi" }
                }
                """);
        StageRunner plain = new StageRunner(program, PUSH, temp, Map.of(), temp, exec, listener, (d, c) -> { }, List.of());
        StageRunner.Outcome out = plain.run(plan.stage("tell").orElseThrow(), facts, Map.of(), new Cancellation());
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals("step `ping` failed: `notify.webhook` cannot run in this version of pipe yet", out.result().reason());
        assertEquals(List.of(), calls);
    }

    @Test
    void aHookRunsItsStepsWithThePipelinesVarsSecretsAndTheRunsEnding() throws Exception {
        pipeline("""
                pipeline p
                on push
                secrets [HOOK]
                vars { who = "team-${git.short_sha}" }
                stage build { step "b" { sh "make" } }
                on failure {
                  sh "echo ${run.status} at ${run.failed_stage} for ${who}"
                  step "tell" { notify.webhook secrets.HOOK text: "${run.failed_stage} failed" }
                  notify.webhook secrets.HOOK text: "again"
                  step "never" {
                    sh "echo no"
                    when run.status == "succeeded"
                  }
                }
                """);
        facts.secrets.put("HOOK", "http://127.0.0.1:9/s3cret");
        facts.status = "failed";
        facts.failedStage = "build";
        StageRunner.Outcome out = runner().runHook("on failure", program.hooks().get(0), facts, Map.of(), new Cancellation());
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        ShellCommand sh = exec.command("sh");
        assertEquals("echo failed at build for team-abcdef1", sh.script());
        assertEquals("on failure", sh.env().get("PIPE_STAGE"));
        assertEquals("http://127.0.0.1:9/s3cret", sh.env().get("HOOK"), "hooks get the pipeline's secrets");
        assertEquals(temp, sh.workdir());
        assertEquals(List.of("http://127.0.0.1:9/s3cret | build failed | null", "http://127.0.0.1:9/s3cret | again | null"),
                calls);
        assertTrue(listener.events.contains("started on failure/notify.webhook#1"), listener.events::toString);
        assertTrue(listener.events.get(listener.events.size() - 1).startsWith("skipped on failure/never: when"),
                listener.events::toString);
    }

    @Test
    void aResumedHookSkipsTheStepsThatFinished() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build { step "b" { sh "make" } }
                on always {
                  step "first" { sh "echo 1" }
                  step "second" { sh "echo 2" }
                }
                """);
        StageRunner.Outcome out = runner().runHook("on always", program.hooks().get(0), facts,
                Map.of("first", Map.of()), new Cancellation());
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome());
        assertEquals(List.of("started on always/second#1", "finished on always/second#1 exit=0 outputs={} reason=null"),
                listener.events);
    }
}
