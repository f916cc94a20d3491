package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.EventKind;
import dev.pipe.engine.plan.FixedFacts;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanText;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageRunnerTest {
    private static final Instant AT = Instant.parse("2026-11-24T15:00:00Z");
    private static final EventContext PUSH = EventContext.builder(EventKind.PUSH, AT).branch("main").sha("abcdef1234").build();

    @TempDir
    Path temp;

    final FakeExecutor exec = new FakeExecutor();
    final RecordingListener listener = new RecordingListener();
    final List<Duration> slept = new ArrayList<>();
    final FixedFacts facts = new FixedFacts();

    private Program program;
    private Plan plan;

    private void pipeline(String text) {
        ParseResult r = SourceParser.parse(new SourceFile("t.pipe", text));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        program = r.program();
        plan = Planner.plan(program, PUSH);
    }

    private StageRunner.Outcome run(String stage, Map<String, Map<String, String>> resumed, Cancellation cancel)
            throws InterruptedException {
        StageRunner runner = new StageRunner(program, PUSH, temp, Map.of("PATH", "/usr/bin", "SHADOWED", "base"), temp,
                exec, listener, (d, c) -> slept.add(d));
        return runner.run(plan.stage(stage).orElseThrow(), facts, resumed, cancel);
    }

    private StageRunner.Outcome run(String stage) throws InterruptedException {
        return run(stage, Map.of(), new Cancellation());
    }

    @Test
    void environmentIsComposedFromVarsEnvBlocksSecretsAndContext() throws Exception {
        pipeline("""
                pipeline p
                on push
                secrets [TOKEN]
                vars { image = "shop:${git.short_sha}"  SHADOWED = "var"  level = "pipeline" }
                environment prod { vars { level = "env" } secrets [KEY] }
                stage deploy {
                  deploy to prod version "v-${git.short_sha}"
                  workdir "app"
                  env { STAGE_ONLY = "s"  SHARED = "stage" }
                  step "go" {
                    sh "deploy --key ${secrets.KEY} ${image}"
                    env { SHARED = "step"  AUTH = "Bearer ${secrets.TOKEN}" }
                  }
                }
                """);
        facts.secrets.put("TOKEN", "t0k");
        facts.secrets.put("KEY", "k3y");
        StageRunner.Outcome out = run("deploy");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        ShellCommand c = exec.command("go");
        assertEquals("deploy --key k3y shop:abcdef1", c.script());
        assertEquals(temp.resolve("app"), c.workdir());
        Map<String, String> env = c.env();
        assertEquals("/usr/bin", env.get("PATH"));
        assertEquals("var", env.get("SHADOWED"));
        assertEquals("env", env.get("level"));
        assertEquals("s", env.get("STAGE_ONLY"));
        assertEquals("step", env.get("SHARED"));
        assertEquals("Bearer t0k", env.get("AUTH"));
        assertEquals("t0k", env.get("TOKEN"));
        assertEquals("k3y", env.get("KEY"));
        assertEquals(facts.runId, env.get("PIPE_RUN_ID"));
        assertEquals("deploy", env.get("PIPE_STAGE"));
        assertEquals("go", env.get("PIPE_STEP"));
        assertEquals("1", env.get("PIPE_ATTEMPT"));
        assertEquals("v-abcdef1", env.get("PIPE_VERSION"));
        assertEquals("push", env.get("PIPE_EVENT"));
        assertEquals("main", env.get("PIPE_BRANCH"));
        assertFalse(env.containsKey("PIPE_TAG"));
        assertTrue(env.get("PIPE_OUTPUT").startsWith(temp.toString()));

        String shown = PlanText.render(plan, false);
        assertTrue(shown.contains("deploy --key *** shop:abcdef1"), shown);
        assertFalse(shown.contains("k3y") || shown.contains("t0k"), shown);
        assertTrue(plan.stage("deploy").orElseThrow().steps().get(0).env().get("AUTH").equals("Bearer ***"));
    }

    @Test
    void aFalseConditionSkipsTheStepAtRunTime() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "probe" { sh "probe" }
                  step "publish" { sh "publish"  when steps.probe.ready == "yes" }
                  step "after" { sh "after" }
                }
                """);
        exec.on("probe", FakeExecutor.exit(0), "ready=no\n");
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome());
        assertEquals(List.of("probe", "after"), exec.steps());
        assertTrue(listener.events.contains("skipped build/publish: when `steps.probe.ready == \"yes\"` is false: steps.probe.ready = no"),
                listener.events.toString());
    }

    @Test
    void retriesWithDoublingBackoffThenFail() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "flaky" { sh "flaky"  retry 3 backoff 2s }
                  step "next" { sh "next" }
                }
                """);
        for (int i = 0; i < 4; i++) {
            exec.on("flaky", FakeExecutor.exit(1), "");
        }
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals("step `flaky` failed: exited with code 1", out.result().reason());
        assertEquals(List.of("flaky", "flaky", "flaky", "flaky"), exec.steps());
        assertEquals(List.of("1", "2", "3", "4"), exec.commands.stream().map(c -> c.env().get("PIPE_ATTEMPT")).toList());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), slept);
        assertTrue(listener.events.contains("skipped build/next: not run: step `flaky` failed: exited with code 1"),
                listener.events.toString());
    }

    @Test
    void aRetrySucceedsAfterTheDefaultBackoff() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "flaky" { sh "flaky"  retry 2 }
                }
                """);
        exec.on("flaky", FakeExecutor.exit(7), "").on("flaky", FakeExecutor.exit(0), "ok=1\n");
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome());
        assertEquals(List.of(Duration.ofSeconds(1)), slept);
        assertEquals(Map.of("ok", "1"), out.stepOutputs().get("flaky"));
    }

    @Test
    void everyAttemptGetsAnEmptyOutputFileAndNothingIsLeftInOne() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "flaky" { sh "flaky"  retry 1 }
                  step "quiet" { sh "quiet" }
                }
                """);
        exec.on("flaky", FakeExecutor.exit(1), "left=over\n").on("flaky", FakeExecutor.exit(0), "");
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        assertEquals(Map.of(), out.stepOutputs().get("flaky"), "the second attempt did not see the first one's file");
        List<String> files = exec.commands.stream().map(c -> c.env().get("PIPE_OUTPUT")).toList();
        // The failed attempt's file, which still holds what it wrote, is deleted; emptied files are reused.
        assertTrue(!files.get(0).equals(files.get(1)), files.toString());
        assertTrue(!Files.exists(Path.of(files.get(0))), files.get(0) + " is left behind with what it held");
        for (String file : files) {
            assertTrue(!Files.exists(Path.of(file)) || Files.size(Path.of(file)) == 0, file + " still holds outputs");
        }
    }

    @Test
    void anOutputFileLeftByAKilledAttemptIsNeitherReusedNorTouched() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "one" { sh "one" }
                }
                """);
        Path stale = Files.writeString(temp.resolve("output-1.txt"), "stale=1\n");
        StageRunner.Outcome out = run("build");
        assertEquals(Map.of(), out.stepOutputs().get("one"));
        assertEquals("stale=1\n", Files.readString(stale));
        String used = exec.command("one").env().get("PIPE_OUTPUT");
        assertEquals(temp.resolve("output-2.txt").toString(), used);
    }

    @Test
    void outputFilesAreTheirOwnersOnly() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "one" { sh "one" }
                }
                """);
        List<String> seen = new ArrayList<>();
        exec.on("one", new FakeExecutor.Answer(FakeExecutor.exit(0), "", c -> {
            try {
                Path file = Path.of(exec.command("one").env().get("PIPE_OUTPUT"));
                seen.add(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        run("build");
        assertEquals(List.of("rw-------"), seen);
    }

    @Test
    void noRetryAfterCancel() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "long" { sh "long"  retry 5 }
                  finally { sh "cleanup" }
                }
                """);
        Cancellation cancel = new Cancellation();
        exec.on("long", new FakeExecutor.Answer(FakeExecutor.exit(0), "", c -> cancel.cancel("Ctrl-C")));
        StageRunner.Outcome out = run("build", Map.of(), cancel);
        assertEquals(DagScheduler.Outcome.CANCELLED, out.result().outcome());
        assertEquals("cancelled: Ctrl-C", out.result().reason());
        assertEquals(List.of("long", "finally 1"), exec.steps());
        assertTrue(slept.isEmpty());
    }

    @Test
    void outputsAreParsedAndAMissingOneFailsClearly() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "build" { sh "build" }
                  step "use" { sh "echo ${steps.build.digest}" }
                  output digest = steps.build.digest
                  output tag = steps.build.tag
                }
                """);
        exec.on("build", FakeExecutor.exit(0), "digest=sha256:1\n");
        StageRunner.Outcome out = run("build");
        assertEquals("echo sha256:1", exec.command("use").script());
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals("step `build` did not write output `tag` to $PIPE_OUTPUT", out.result().reason());
    }

    @Test
    void stageOutputsWhenAllAreWritten() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "build" { sh "build" }
                  output digest = steps.build.digest
                }
                """);
        exec.on("build", FakeExecutor.exit(0), "digest<<EOF\nsha256:1\nEOF\n");
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        assertEquals(Map.of("digest", "sha256:1"), out.outputs());
    }

    @Test
    void aMalformedOutputFileFailsTheStep() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "build" { sh "build" }
                }
                """);
        exec.on("build", FakeExecutor.exit(0), "just words\n");
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals("step `build` failed: line 1 of $PIPE_OUTPUT is not `name=value` or `name<<DELIMITER`", out.result().reason());
    }

    @Test
    void finallyRunsAfterAFailureAndItsFailureFailsTheStage() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "a" { sh "a" }
                  step "b" { sh "b" }
                  finally {
                    step "cleanup" { sh "cleanup" }
                  }
                }
                stage other {
                  step "ok" { sh "ok" }
                  finally { sh "off" }
                }
                """);
        exec.on("a", FakeExecutor.exit(2), "");
        StageRunner.Outcome out = run("build");
        assertEquals(List.of("a", "cleanup"), exec.steps());
        assertEquals("step `a` failed: exited with code 2", out.result().reason());

        exec.on("finally 1", FakeExecutor.exit(1), "");
        StageRunner.Outcome other = run("other");
        assertEquals(DagScheduler.Outcome.FAILED, other.result().outcome());
        assertEquals("step `finally 1` failed: exited with code 1", other.result().reason());
    }

    @Test
    void allowFailureDoesNotFailTheStage() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "lint" { sh "lint"  allow_failure }
                  step "test" { sh "test" }
                }
                """);
        exec.on("lint", FakeExecutor.exit(1), "");
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome());
        assertEquals(List.of("lint", "test"), exec.steps());
    }

    @Test
    void unsupportedStepsAreRefused() throws Exception {
        pipeline("""
                pipeline p
                on push
                vars { image = "shop" }
                stage image {
                  step "build" { docker.build tag: image context: "." }
                }
                """);
        assertEquals(List.of("stage `image`, step `build`: `docker.build` cannot run in this version of pipe yet"),
                StageRunner.unsupportedSteps(plan));
        StageRunner.Outcome out = run("image");
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals("step `build` failed: `docker.build` cannot run in this version of pipe yet",
                out.result().reason());
        assertTrue(exec.commands.isEmpty());
    }

    @Test
    void resumedStepsAreNotRunAgainAndTheirOutputsStayVisible() throws Exception {
        pipeline("""
                pipeline p
                on push
                stage build {
                  step "build" { sh "build" }
                  step "push" { sh "push ${steps.build.digest}" }
                  output digest = steps.build.digest
                }
                """);
        StageRunner.Outcome out = run("build", Map.of("build", Map.of("digest", "sha256:9")), new Cancellation());
        assertEquals(List.of("push"), exec.steps());
        assertEquals("push sha256:9", exec.command("push").script());
        assertEquals(Map.of("digest", "sha256:9"), out.outputs());
    }

    @Test
    void aValueNotKnownFailsTheStepBeforeItRuns() throws Exception {
        pipeline("""
                pipeline p
                on push
                secrets [TOKEN]
                stage build {
                  step "push" { sh "push ${secrets.TOKEN}" }
                }
                """);
        StageRunner.Outcome out = run("build");
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertTrue(out.result().reason().equals("step `push` failed: secret `TOKEN` has no value; pass it with --secrets-file or PIPE_SECRET_TOKEN"), out.result().reason());
        assertTrue(exec.commands.isEmpty());
    }
}
