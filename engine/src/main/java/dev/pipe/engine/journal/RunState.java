package dev.pipe.engine.journal;

import dev.pipe.engine.journal.JournalEvent.JournalRepaired;
import dev.pipe.engine.journal.JournalEvent.RunCancelled;
import dev.pipe.engine.journal.JournalEvent.RunFinished;
import dev.pipe.engine.journal.JournalEvent.RunResumed;
import dev.pipe.engine.journal.JournalEvent.RunStarted;
import dev.pipe.engine.journal.JournalEvent.StageFinished;
import dev.pipe.engine.journal.JournalEvent.StageReady;
import dev.pipe.engine.journal.JournalEvent.StageStarted;
import dev.pipe.engine.journal.JournalEvent.StepFinished;
import dev.pipe.engine.journal.JournalEvent.StepSkipped;
import dev.pipe.engine.journal.JournalEvent.StepStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * A run as its journal tells it: what every stage instance and step did, and where the run
 * stands. Stages and steps the journal never mentions are not here; the plan has them.
 *
 * <p><b>Resuming</b> uses it like this: a step whose last event is a {@code step_finished}
 * that succeeded is never run again, and its outputs come from that event
 * ({@link #stepOutputs}); a step with a {@code step_started} and no {@code step_finished} was
 * cut off and runs again from the start, so steps must be safe to repeat (as in every CI
 * system); a stage with a {@code stage_finished} is done ({@link #finishedStages}), with its
 * outputs in that event.
 *
 * @param runId null when the journal has no {@code run_started} (it was never written)
 * @param pid the process that drove the run last: from the last {@code run_started} or
 *     {@code run_resumed}; 0 when unknown
 * @param finishedAt when {@code run_finished} was written, or null
 * @param cancelReason the reason of the last {@code run_cancelled}, or null
 * @param resumes how many times the run was resumed
 * @param repairs how many torn last lines were cut off the journal
 * @param stages stage instances in the order the journal first mentions them
 */
public record RunState(
        String runId,
        String pipeline,
        String file,
        String event,
        String planDigest,
        String triggeredBy,
        int parallel,
        long pid,
        Instant startedAt,
        Instant finishedAt,
        RunStatus status,
        String cancelReason,
        int resumes,
        int repairs,
        Map<String, StageState> stages) {

    public RunState {
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    /** How far a stage instance got. */
    public enum Progress {
        READY, RUNNING, FINISHED
    }

    /**
     * A stage instance.
     *
     * @param status how it ended, or null until it has
     * @param outputs from its {@code stage_finished}; empty until then
     * @param steps in the order the journal first mentions them
     */
    /**
     * @param waiting the gate the stage waits at now, or null
     * @param approvalOpenedAt when the stage first waited for approvals, or null: an approval
     *     gate's expiry counts from then, across resumes
     */
    public record StageState(String name, Progress progress, StageStatus status, String reason,
            Instant readyAt, Instant startedAt, Instant finishedAt, Map<String, String> outputs,
            Map<String, StepState> steps, GateState waiting, Instant approvalOpenedAt) {
        public StageState {
            outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
            steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        }

        public boolean finished() {
            return progress == Progress.FINISHED;
        }
    }

    /** A gate a stage waits at: {@code lock}, {@code window} or {@code approval}, as {@code gate_waiting} said. */
    public record GateState(String gate, String detail, String environment, String version, Instant since) {
    }

    /**
     * A step, as of its last attempt.
     *
     * @param attempt the last attempt started; 0 for a skipped step. A resumed run goes on
     *     counting from here, so every attempt in a journal has its own number
     * @param outcome how the last attempt ended, or null while it runs (or was cut off)
     * @param exitCode null until it finishes
     * @param durationMs null until it finishes
     */
    public record StepState(String stage, String name, int attempt, StepOutcome outcome, Integer exitCode,
            Long durationMs, Map<String, String> outputs, String reason, Instant startedAt, Instant finishedAt) {
        public StepState {
            outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }

        public boolean finished() {
            return outcome != null;
        }

        public boolean succeeded() {
            return outcome == StepOutcome.SUCCEEDED;
        }
    }

    /** Replays a journal; a run without {@code run_finished} is running if its process is alive. */
    public static RunState replay(List<JournalEntry> entries) {
        return replay(entries, RunState::isAlive);
    }

    /**
     * Replays a journal, asking {@code alive} whether the process with a given pid still runs.
     * The pid is a good guess, not a proof (pids are reused); {@link RunLock} is the proof that
     * {@code pipe resume} relies on.
     */
    public static RunState replay(List<JournalEntry> entries, LongPredicate alive) {
        Replay r = new Replay();
        entries.forEach(r::apply);
        // After run_waiting the process that wrote it only closes the journal and exits.
        RunStatus status = r.finished != null ? r.finished
                : r.waiting ? RunStatus.WAITING
                : r.pid != 0 && alive.test(r.pid) ? RunStatus.RUNNING : RunStatus.INTERRUPTED;
        Map<String, StageState> stages = new LinkedHashMap<>();
        r.stages.forEach((name, s) -> stages.put(name, s.build()));
        RunStarted start = r.start;
        return new RunState(
                start == null ? null : start.runId(),
                start == null ? null : start.pipeline(),
                start == null ? null : start.file(),
                start == null ? null : start.event(),
                start == null ? null : start.planDigest(),
                start == null ? null : start.triggeredBy(),
                start == null ? 0 : start.parallel(),
                r.pid, r.startedAt, r.finishedAt, status, r.cancelReason, r.resumes, r.repairs, stages);
    }

    private static boolean isAlive(long pid) {
        return pid == ProcessHandle.current().pid()
                || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public Optional<StageState> stage(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    public Optional<StepState> step(String stage, String step) {
        return stage(stage).map(s -> s.steps().get(step));
    }

    /** True when the step's last attempt succeeded: a resume must not run it again. */
    public boolean stepSucceeded(String stage, String step) {
        return step(stage, step).map(StepState::succeeded).orElse(false);
    }

    /** The outputs of a stage instance's succeeded steps, by step name, for {@code steps.S.OUT}. */
    public Map<String, Map<String, String>> stepOutputs(String stage) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        stage(stage).ifPresent(s -> s.steps().values().stream()
                .filter(StepState::succeeded)
                .forEach(step -> out.put(step.name(), step.outputs())));
        return out;
    }

    /** How each finished stage instance ended: a resume does not run these again. */
    public Map<String, StageStatus> finishedStages() {
        Map<String, StageStatus> out = new LinkedHashMap<>();
        stages.values().stream().filter(StageState::finished).forEach(s -> out.put(s.name(), s.status()));
        return out;
    }

    /** Steps that started and never finished; after an interruption, a resume runs them again. */
    public List<StepState> unfinishedSteps() {
        List<StepState> out = new ArrayList<>();
        for (StageState stage : stages.values()) {
            stage.steps().values().stream().filter(s -> !s.finished()).forEach(out::add);
        }
        return out;
    }

    /** Mutable state while replaying, one event at a time. */
    private static final class Replay {
        RunStarted start;
        Instant startedAt;
        Instant finishedAt;
        long pid;
        RunStatus finished;
        String cancelReason;
        int resumes;
        int repairs;
        boolean waiting;
        final Map<String, StageBuilder> stages = new LinkedHashMap<>();

        void apply(JournalEntry entry) {
            Instant at = entry.at();
            switch (entry.event()) {
                case RunStarted e -> {
                    if (start == null) {
                        start = e;
                        startedAt = at;
                    }
                    pid = e.pid();
                }
                case RunResumed e -> {
                    resumes++;
                    waiting = false;
                    pid = e.pid();
                    finished = null;
                    finishedAt = null;
                }
                case StageReady e -> {
                    StageBuilder s = stage(e.stage());
                    s.progress = Progress.READY;
                    s.readyAt = at;
                    s.clearFinish();
                }
                case StageStarted e -> {
                    StageBuilder s = stage(e.stage());
                    s.progress = Progress.RUNNING;
                    s.startedAt = at;
                    s.clearFinish();
                }
                case StageFinished e -> {
                    StageBuilder s = stage(e.stage());
                    s.progress = Progress.FINISHED;
                    s.status = e.status();
                    s.reason = e.reason();
                    s.outputs = e.outputs();
                    s.finishedAt = at;
                    s.waiting = null;
                }
                case StepStarted e -> {
                    StageBuilder s = running(e.stage());
                    s.steps.put(e.step(), new StepState(e.stage(), e.step(), e.attempt(), null, null, null,
                            Map.of(), null, at, null));
                }
                case StepFinished e -> {
                    StageBuilder s = running(e.stage());
                    StepState before = s.steps.get(e.step());
                    Instant started = before == null ? null : before.startedAt();
                    s.steps.put(e.step(), new StepState(e.stage(), e.step(), e.attempt(), e.outcome(), e.exitCode(),
                            e.durationMs(), e.outputs(), e.reason(), started, at));
                }
                case StepSkipped e -> running(e.stage()).steps.put(e.step(), new StepState(e.stage(), e.step(), 0,
                        StepOutcome.SKIPPED, null, null, Map.of(), e.reason(), null, at));
                case RunCancelled e -> cancelReason = e.reason();
                case JournalEvent.GateWaiting e -> {
                    StageBuilder s = stage(e.stage());
                    s.waiting = new GateState(e.gate(), e.detail(), e.environment(), e.version(), at);
                    if (e.gate().equals("approval") && s.approvalOpenedAt == null) {
                        s.approvalOpenedAt = at;
                    }
                }
                case JournalEvent.GatePassed e -> stage(e.stage()).waiting = null;
                case JournalEvent.ApprovalRecorded e -> {
                    // the decisions themselves are in the run's decisions.jsonl; this says the gate took one
                }
                case JournalEvent.RunWaiting e -> waiting = true;
                case JournalEvent.VerifyTry e -> {
                }
                case JournalEvent.RollbackStarted e -> {
                }
                case JournalEvent.RollbackFinished e -> {
                }
                case JournalEvent.DeploymentRecorded e -> {
                }
                case RunFinished e -> {
                    finished = e.status();
                    finishedAt = at;
                }
                case JournalRepaired e -> repairs++;
            }
        }

        private StageBuilder stage(String name) {
            return stages.computeIfAbsent(name, StageBuilder::new);
        }

        /** A step event means its stage runs, whether or not {@code stage_started} was recorded. */
        private StageBuilder running(String name) {
            StageBuilder s = stage(name);
            if (s.progress == Progress.READY) {
                s.progress = Progress.RUNNING;
            }
            return s;
        }
    }

    private static final class StageBuilder {
        final String name;
        Progress progress = Progress.READY;
        StageStatus status;
        String reason;
        Instant readyAt;
        Instant startedAt;
        Instant finishedAt;
        Map<String, String> outputs = Map.of();
        final Map<String, StepState> steps = new LinkedHashMap<>();
        GateState waiting;
        Instant approvalOpenedAt;

        StageBuilder(String name) {
            this.name = name;
        }

        /** A stage that becomes ready or starts again (after a resume) has not finished. */
        void clearFinish() {
            status = null;
            reason = null;
            finishedAt = null;
            outputs = Map.of();
        }

        StageState build() {
            return new StageState(name, progress, status, reason, readyAt, startedAt, finishedAt, outputs, steps,
                    waiting, approvalOpenedAt);
        }
    }
}
