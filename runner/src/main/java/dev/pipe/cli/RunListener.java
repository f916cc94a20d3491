package dev.pipe.cli;

import dev.pipe.engine.journal.Journal;
import dev.pipe.engine.journal.JournalEvent;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.StepOutcome;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.run.DagScheduler;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.Gatekeeper;
import dev.pipe.engine.run.LineSink;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.RunEngine;
import dev.pipe.engine.run.StageListener;
import dev.pipe.engine.run.TeeSink;
import dev.pipe.engine.secrets.Masker;
import dev.pipe.engine.secrets.MaskingSink;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a run reports, in one place: each change is journaled first, then the step's log
 * file and the console get the (masked) output as plain lines prefixed {@code [stage/step]}.
 */
final class RunListener implements StageListener, RunEngine.Events, Gatekeeper.Listener {
    private final Journal journal;
    private final RunDir run;
    private final Masker masker;
    private final PrintStream console;
    private final Map<String, OutputSink> sinks = new ConcurrentHashMap<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final java.util.Set<java.nio.file.Path> logFolders = ConcurrentHashMap.newKeySet();

    private final boolean json;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * @param json print one JSON object per line instead of text: every journal event as it is
     *     written, and each output line as {@code {"type":"output","stage","step","stream","line"}}
     */
    private final LiveView live;

    RunListener(Journal journal, RunDir run, Masker masker, PrintStream console, boolean json, LiveView live) {
        this.journal = journal;
        this.run = run;
        this.masker = masker;
        this.console = console;
        this.json = json;
        this.live = live;
    }

    void startLive() {
        if (live != null) {
            live.start();
        }
    }

    void stopLive() {
        if (live != null) {
            live.stop();
        }
    }

    private static String key(String stage, String step) {
        return stage + "\u0000" + step;
    }

    private void say(String line) {
        if (json || live != null) {
            return;
        }
        synchronized (console) {
            console.println(masker.mask(line));
        }
    }

    @Override
    public void stageStarted(PlanStage stage) {
        started(stage.name());
    }

    @Override
    public void stageFinished(PlanStage stage, DagScheduler.Result result) {
        finished(stage.name(), result);
    }

    @Override
    public void hookStarted(String name) {
        started(name);
    }

    @Override
    public void hookFinished(String name, DagScheduler.Result result) {
        finished(name, result);
    }

    @Override
    public void stageNote(String stage, String text) {
        say("[" + stage + "] " + text);
    }

    private void started(String name) {
        started.put(name, System.nanoTime());
        if (live != null) {
            live.started(name);
        }
        say("[" + name + "] started");
    }

    private void finished(String name, DagScheduler.Result result) {
        Long t0 = started.get(name);
        String took = t0 == null ? "" : " in " + seconds(System.nanoTime() - t0);
        String word = result.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        if (live != null) {
            live.finished(name, word, result.reason() == null ? null : masker.mask(result.reason()));
        }
        say("[" + name + "] " + word + (result.outcome() == DagScheduler.Outcome.SKIPPED ? "" : took)
                + (result.reason() == null ? "" : ": " + result.reason()));
    }

    @Override
    public void stepStarted(String stage, String step, int attempt) {
        journal.append(new JournalEvent.StepStarted(stage, step, attempt));
        if (live != null) {
            live.step(stage, step + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        }
        say("[" + stage + "/" + step + "] started" + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        OutputSink log = fileSink(stage, step);
        String prefix = "[" + stage + "/" + step + "] ";
        OutputSink lines = live != null ? new LineSink((stream, line) -> live.line(stage, line)) : new LineSink((stream, line) -> {
            String text = json ? outputEvent(stage, step, stream, line) : prefix + line;
            synchronized (console) {
                console.println(text);
            }
        });
        sinks.put(key(stage, step), new MaskingSink(new TeeSink(log, lines), masker));
    }

    @Override
    public void stepOutput(String stage, String step, OutputSink.Stream stream, String chunk) {
        OutputSink sink = sinks.get(key(stage, step));
        if (sink != null) {
            sink.write(stream, chunk);
        }
    }

    @Override
    public void stepFinished(String stage, String step, int attempt, ExecResult result, Map<String, String> outputs,
            String reason) {
        OutputSink sink = sinks.remove(key(stage, step));
        if (sink != null) {
            sink.close();
        }
        StepOutcome outcome = result == null ? StepOutcome.FAILED
                : result.succeeded() && reason == null ? StepOutcome.SUCCEEDED
                : result.timedOut() ? StepOutcome.TIMED_OUT
                : result.cancelled() ? StepOutcome.CANCELLED
                : StepOutcome.FAILED;
        long ms = result == null ? 0 : result.duration().toMillis();
        journal.append(new JournalEvent.StepFinished(stage, step, attempt, result == null ? -1 : result.exitCode(), outcome,
                ms, outputs, reason));
        if (outcome != StepOutcome.SUCCEEDED) {
            say("[" + stage + "/" + step + "] " + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (reason == null ? result == null ? "" : " (exit " + result.exitCode() + ")" : ": " + reason));
        }
    }

    @Override
    public void stepSkipped(String stage, String step, String reason) {
        journal.append(new JournalEvent.StepSkipped(stage, step, reason));
        say("[" + stage + "/" + step + "] skipped: " + reason);
    }

    /** {@code 12.3s}: tenths of a second, rounded half up, as {@code %.1fs} in the root locale gives it. */
    static String seconds(long nanos) {
        long tenths = Math.round(nanos / 1e8);
        return tenths / 10 + "." + tenths % 10 + "s";
    }

    private static String outputEvent(String stage, String step, OutputSink.Stream stream, String line) {
        var node = JSON.createObjectNode();
        node.put("type", "output");
        node.put("stage", stage);
        node.put("step", step);
        node.put("stream", stream.name().toLowerCase(java.util.Locale.ROOT));
        node.put("line", line);
        return node.toString();
    }

    /**
     * Appends the step's output to its log; attempts of one step share the file. The file (and
     * its stage's folder) is made when the step first prints something: creating a folder and a
     * file per step cost about a millisecond on a real disk, more than a short step itself, and a
     * step that prints nothing has nothing to keep.
     */
    private OutputSink fileSink(String stage, String step) {
        return new OutputSink() {
            private Writer w;

            @Override
            public void write(Stream stream, String chunk) {
                try {
                    if (w == null) {
                        w = Files.newBufferedWriter(prepareLog(stage, step), StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    w.write(chunk);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write the log of " + stage + "/" + step + ": "
                            + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (w == null) {
                    return;
                }
                try {
                    w.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write the log of " + stage + "/" + step + ": "
                            + e.getMessage(), e);
                }
            }
        };
    }

    /** The step's log file; each stage's folder is made once (making it again costs a failed mkdir and an exception). */
    private java.nio.file.Path prepareLog(String stage, String step) throws IOException {
        java.nio.file.Path log = run.log(stage, step);
        if (!logFolders.contains(log.getParent())) {
            Files.createDirectories(log.getParent());
            logFolders.add(log.getParent());
        }
        return log;
    }

    @Override
    public void waiting(String stage, String gate, String detail, String environment, String version) {
        journal.append(new JournalEvent.GateWaiting(stage, gate, detail, environment, version));
        if (live != null) {
            live.line(stage, "waiting at " + gate + ": " + masker.mask(detail));
        }
        say("[" + stage + "] waiting at the " + gate + ": " + detail);
    }

    @Override
    public void passed(String stage, String gate, String detail) {
        journal.append(new JournalEvent.GatePassed(stage, gate, detail));
        say("[" + stage + "] " + gate + ": " + detail);
    }

    @Override
    public void decision(String stage, dev.pipe.engine.deploy.Approvals.Decision d) {
        String verdict = d.verdict() == dev.pipe.engine.deploy.Approvals.Verdict.APPROVE ? "approve" : "reject";
        journal.append(new JournalEvent.ApprovalRecorded(stage, verdict, d.by(), d.at().toString(), d.comment()));
        say("[" + stage + "] " + d.by() + (verdict.equals("approve") ? " approved" : " rejected")
                + (d.comment() == null ? "" : ": " + d.comment()));
    }

    @Override
    public void verifyTry(String stage, dev.pipe.engine.verify.Verifier.Try t) {
        journal.append(new JournalEvent.VerifyTry(stage, t.check(), t.round(), t.attempt(), t.passed(), t.detail()));
        String line = "verify " + t.check() + " (round " + t.round() + ", try " + t.attempt() + " of " + t.attempts() + "): "
                + (t.passed() ? "passed" : "failed") + (t.detail() == null ? "" : ", " + t.detail());
        if (live != null) {
            live.line(stage, masker.mask(line));
        }
        say("[" + stage + "] " + line);
    }

    @Override
    public void rollbackStarted(String stage, String cause, String restores) {
        journal.append(new JournalEvent.RollbackStarted(stage, cause, restores));
        say("[" + stage + "] rolling back" + (restores == null ? "" : " to " + restores) + ": " + cause);
    }

    @Override
    public void rollbackFinished(String stage, boolean succeeded, String reason) {
        journal.append(new JournalEvent.RollbackFinished(stage, succeeded, reason));
        say("[" + stage + "] " + (succeeded ? "rolled back" : "the rollback FAILED: " + reason));
    }

    @Override
    public void deploymentRecorded(String stage, dev.pipe.engine.deploy.Deployment d) {
        journal.append(new JournalEvent.DeploymentRecorded(stage, d.environment(), d.version(), d.outcome().text()));
        say("[" + stage + "] " + d.environment() + " history: " + (d.version() == null ? "" : d.version() + " ")
                + d.outcome().text().replace('_', ' '));
    }
}
