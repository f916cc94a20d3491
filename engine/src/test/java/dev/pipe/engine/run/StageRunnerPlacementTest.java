package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages on a runner other than local: their place is opened before the first step and closed after the last. */
class StageRunnerPlacementTest {
    private static final Instant AT = Instant.parse("2026-11-24T15:00:00Z");
    private static final EventContext PUSH = EventContext.builder(EventKind.PUSH, AT).branch("main").sha("abcdef1234").build();

    @TempDir
    Path temp;

    final FakeExecutor local = new FakeExecutor();
    final FakeExecutor container = new FakeExecutor();
    final RecordingListener listener = new RecordingListener();
    final FixedFacts facts = new FixedFacts();
    final List<String> events = new ArrayList<>();
    Placement.StageSpec opened;
    String failWith;

    private Program program;
    private Plan plan;

    private final Placement placement = new Placement() {
        @Override
        public Place open(StageSpec spec, Consumer<String> notes, Cancellation cancel) throws PlacementException {
            opened = spec;
            events.add("open " + spec.stage());
            if (failWith != null) {
                throw new PlacementException(failWith);
            }
            notes.accept("ready");
            return new Place() {
                @Override
                public Executor executor() {
                    return (command, sink, c) -> {
                        events.add("exec " + command.env().get("PIPE_STEP"));
                        return container.exec(command, sink, c);
                    };
                }

                @Override
                public Map<String, String> baseEnv() {
                    return Map.of("IN_CONTAINER", "yes");
                }

                @Override
                public void close() {
                    events.add("close " + spec.stage());
                }
            };
        }
    };

    private void pipeline(String text) {
        ParseResult r = SourceParser.parse(new SourceFile("t.pipe", text));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        program = r.program();
        plan = Planner.plan(program, PUSH);
    }

    private StageRunner.Outcome run(String stage) throws InterruptedException {
        return new StageRunner(program, PUSH, temp, Map.of("PATH", "/usr/bin"), temp, local, listener, (d, c) -> {
        }, List.of()).withPlacement(placement).run(plan.stage(stage).orElseThrow(), facts, Map.of(), new Cancellation());
    }

    static final String PIPELINE = """
            pipeline p
            on push
            secrets [PW]
            stage it {
              runner docker "img:${git.short_sha}" { user "1000" workdir "/src" }
              service db "db:1" {
                env { PASSWORD = secrets.PW }
                ready "check" retries 3 every 2s
              }
              service cache "cache:1"
              step "one" { sh "echo one" }
              step "two" { sh "exit 1" }
              finally { sh "echo cleanup" }
            }
            stage plain {
              step "here" { sh "echo here" }
            }
            """;

    @Test
    void aContainerStageRunsEveryStepInItsPlaceFinallyIncludedThenClosesIt() throws Exception {
        pipeline(PIPELINE);
        facts.secrets.put("PW", "hunter2");
        container.on("two", FakeExecutor.exit(1), "");
        StageRunner.Outcome out = run("it");
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals(List.of("open it", "exec one", "exec two", "exec finally 1", "close it"), events);
        assertTrue(local.commands.isEmpty(), "nothing runs on this machine");
        ShellCommand one = container.command("one");
        assertEquals("yes", one.env().get("IN_CONTAINER"));
        assertNull(one.env().get("PATH"), "the container's own PATH holds, not this machine's");
    }

    @Test
    void thePlaceIsToldTheImageUserWorkdirAndServicesWithSecretsRevealed() throws Exception {
        pipeline(PIPELINE);
        facts.secrets.put("PW", "hunter2");
        run("it");
        assertEquals("img:abcdef1", opened.image());
        assertEquals("docker", opened.runner());
        assertEquals("1000", opened.user());
        assertEquals("/src", opened.workdir());
        assertEquals(temp, opened.workspace());
        assertEquals(2, opened.services().size());
        Placement.Service db = opened.services().get(0);
        assertEquals(new Placement.Service("db", "db:1", Map.of("PASSWORD", "hunter2"), "check", 3, Duration.ofSeconds(2)), db);
        Placement.Service cache = opened.services().get(1);
        assertNull(cache.ready());
        assertEquals(StageRunner.DEFAULT_READY_RETRIES, cache.retries());
    }

    @Test
    void aPlaceThatCannotBeMadeFailsTheStageBeforeAnyStep() throws Exception {
        pipeline(PIPELINE);
        facts.secrets.put("PW", "hunter2");
        failWith = "image `img:abcdef1` of stage `it` is not on this machine and cannot be pulled";
        StageRunner.Outcome out = run("it");
        assertEquals(DagScheduler.Outcome.FAILED, out.result().outcome());
        assertEquals(failWith, out.result().reason());
        assertEquals(List.of("open it"), events);
        assertTrue(container.commands.isEmpty() && local.commands.isEmpty());
    }

    @Test
    void localStagesDoNotOpenAPlace() throws Exception {
        pipeline(PIPELINE);
        facts.secrets.put("PW", "hunter2");
        StageRunner.Outcome out = run("plain");
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome());
        assertTrue(events.isEmpty(), events::toString);
        assertEquals("/usr/bin", local.command("here").env().get("PATH"));
    }

    @Test
    void aRollbackByHandRunsInTheStagesContainerToo() throws Exception {
        pipeline("""
                pipeline p
                on push
                environment prod {
                }
                stage ship {
                  runner docker "img:1"
                  deploy to prod version "2"
                  step "deploy" { sh "echo deploy" }
                  rollback { sh "echo back to ${previous.version}" }
                }
                """);
        dev.pipe.engine.deploy.Deployment to = dev.pipe.engine.deploy.Deployment.builder(
                dev.pipe.engine.deploy.Deployment.Kind.DEPLOY, "prod", "run-1", "ship").version("1")
                .times(AT, AT).outcome(dev.pipe.engine.deploy.Deployment.Outcome.SUCCEEDED, null).build();
        StageRunner.Outcome out = new StageRunner(program, PUSH, temp, Map.of("PATH", "/usr/bin"), temp, local, listener,
                (d, c) -> {
                }, List.of()).withPlacement(placement).runRollback(plan.stage("ship").orElseThrow(), facts, to,
                        new Cancellation());
        assertEquals(DagScheduler.Outcome.SUCCEEDED, out.result().outcome(), out.result().reason());
        assertEquals(List.of("open ship", "exec rollback 1", "close ship"), events);
        assertTrue(local.commands.isEmpty());
    }

    @Test
    void containerStagesAndServicesAreRefusedOnlyWhereNoContainerRunnerIsThere() {
        pipeline(PIPELINE);
        List<String> without = StageRunner.unsupportedSteps(plan, Set.of());
        assertEquals(2, without.size(), without::toString);
        assertEquals(List.of(), StageRunner.unsupportedSteps(plan, Set.of(), Set.of("local", "docker")));
        assertFalse(StageRunner.unsupportedSteps(plan.onThisMachine(), Set.of(), Set.of("local", "docker")).isEmpty(),
                "services still need a container runner when the stage runs on this machine");
    }
}
