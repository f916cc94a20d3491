package dev.pipe.cli;

import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunLock;
import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.plan.RunFacts;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.DagScheduler;
import dev.pipe.engine.run.RunEngine;
import dev.pipe.engine.run.StageRunner;
import dev.pipe.engine.secrets.Masker;
import dev.pipe.lang.syntax.Program;
import dev.pipe.runner.local.LocalExecutor;
import dev.pipe.runner.local.Sessions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attempt at driving a run to its end, for `pipe run` and `pipe resume`: the stages run on
 * local processes, every change is journaled, output is masked, logged and printed, and Ctrl-C
 * or SIGTERM cancels cleanly (finally steps still run) before the process exits.
 */
final class RunSession {
    private RunSession() {
    }

    record Setup(Program program, Plan plan, EventContext ctx, Path pipeFile, RunDir run, Map<String, String> secrets,
            Masker masker, int parallel, boolean failFast, Map<String, RunEngine.StageResult> resumedStages,
            Map<String, Map<String, Map<String, String>>> resumedSteps, Map<String, String> leftOut) {
    }

    /** How a run reports besides its journal: JSON events instead of text, and a JUnit XML file. */
    record Reporting(boolean json, Path junit, boolean live, boolean color) {
    }

    /** In JSON mode every journal line is printed as it is written, from the first one on. */
    static void announce(Journal journal, PrintStream out, Reporting reporting) {
        if (reporting.json()) {
            journal.observe(line -> {
                synchronized (out) {
                    out.println(line);
                }
            });
        }
    }

    static int drive(Setup s, Journal journal, RunLock lock, PrintStream out, Reporting reporting)
            throws InterruptedException {
        Cancellation cancel = new Cancellation();
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C and SIGTERM cancel the run; the JVM waits here until finally steps and the journal are done.
        Thread hook = new Thread(() -> {
            cancel.cancel("interrupted by a signal (Ctrl-C or SIGTERM)");
            try {
                done.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pipe-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        RunListener listener = new RunListener(journal, s.run(), s.masker(), out, reporting.json(),
                reporting.live() ? new LiveView(s.plan().stages().stream().map(PlanStage::name).toList(), reporting.color(), out)
                        : null);
        Path temp;
        try {
            temp = Files.createDirectories(s.run().dir().resolve("tmp"));
        } catch (IOException e) {
            throw new CliException(Exit.ERRORS, "cannot create the run's temporary folder: " + e.getMessage());
        }
        LocalExecutor executor = new LocalExecutor(LocalExecutor.DEFAULT_GRACE, sessions(s.run()));
        StageRunner runner = new StageRunner(s.program(), s.ctx(), s.pipeFile().toAbsolutePath().getParent(),
                LocalExecutor.baseEnvironment(), temp, executor, listener, StageRunner.Sleeper.REAL);
        Map<String, Map<String, String>> stageOutputs = new java.util.concurrent.ConcurrentHashMap<>();
        s.resumedStages().forEach((name, r) -> stageOutputs.put(name, r.outputs()));
        RunFacts facts = facts(s, stageOutputs);
        RunEngine.StageWork work = (stage, needOutputs, c) -> {
            StageRunner.Outcome o = runner.run(stage, facts, s.resumedSteps().getOrDefault(stage.name(), Map.of()), c);
            stageOutputs.put(stage.stage(), o.outputs());
            return new RunEngine.StageResult(o.result(), o.outputs());
        };
        RunEngine.Outcome outcome;
        listener.startLive();
        try {
            outcome = RunEngine.execute(s.plan(), journal, work, listener, s.parallel(), s.failFast(), cancel,
                    s.resumedStages(), s.leftOut());
        } finally {
            listener.stopLive();
            // Ends the executor's spawner, which would otherwise hold up the JVM's exit.
            executor.close();
            try {
                journal.close();
                lock.close();
            } catch (IOException e) {
                out.println("pipe: warning: " + e.getMessage());
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: the JVM exits once it returns.
            }
        }
        if (reporting.junit() != null) {
            try {
                JUnitReport.write(s.run().state(), reporting.junit());
            } catch (IOException e) {
                throw new CliException(Exit.ERRORS, "cannot write the JUnit report " + reporting.junit() + ": " + e.getMessage());
            }
        }
        if (!reporting.json()) {
            summary(s.plan(), outcome, out);
        }
        return switch (outcome.status()) {
            case SUCCEEDED -> Exit.OK;
            case CANCELLED -> Exit.CANCELLED;
            default -> Exit.ERRORS;
        };
    }

    /** Where the run notes the sessions of its running steps (see {@link Sessions}). */
    static Sessions sessions(dev.pipe.engine.journal.RunDir run) {
        return new Sessions(run.dir().resolve("sessions"));
    }

    private static void summary(Plan plan, RunEngine.Outcome outcome, PrintStream out) {
        int width = plan.stages().stream().mapToInt(st -> st.name().length()).max().orElse(5);
        out.println();
        out.println("run " + plan.pipeline() + ": " + outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        for (PlanStage stage : plan.stages()) {
            DagScheduler.Result r = outcome.stages().get(stage.name());
            String word = r == null ? "-" : r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            out.println(String.format("  %-10s %-" + width + "s  %s", word, stage.name(), r == null || r.reason() == null ? "" : r.reason()).stripTrailing());
        }
    }

    private static RunFacts facts(Setup s, Map<String, Map<String, String>> stageOutputs) {
        return new RunFacts() {
            @Override
            public Map<String, String> stageOutputs(String stage) {
                return stageOutputs.get(stage);
            }

            @Override
            public Map<String, String> stepOutputs(String step) {
                return null;
            }

            @Override
            public String env(String name) {
                return System.getenv(name);
            }

            @Override
            public String runId() {
                return s.run().id();
            }

            @Override
            public String triggeredBy() {
                return s.ctx().triggeredBy();
            }

            @Override
            public String status() {
                return null;
            }

            @Override
            public String failedStage() {
                return null;
            }

            @Override
            public String previousVersion() {
                return null;
            }

            @Override
            public String previousRun() {
                return null;
            }

            @Override
            public String secret(String name) {
                return s.secrets().get(name);
            }
        };
    }

    /** The secrets the run's stages declare: pipeline and deploy-environment secrets of stages that run. */
    static java.util.Set<String> declaredSecrets(Plan plan) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (PlanStage stage : plan.stages()) {
            if (stage.status() != PlanStage.Status.SKIP) {
                names.addAll(stage.secrets());
            }
        }
        return names;
    }
}
