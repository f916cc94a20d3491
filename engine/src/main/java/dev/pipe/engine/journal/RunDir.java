package dev.pipe.engine.journal;

import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One run's directory, {@code .pipe/runs/<id>/}:
 * <pre>
 * journal.jsonl                 every state change, one JSON event per line
 * plan.json                     the plan as it was made when the run started
 * lock                          held by the process driving the run (see {@link RunLock})
 * logs/&lt;stage&gt;/&lt;step&gt;.log     each step's output; names encoded by {@link FileNames}
 * </pre>
 */
public record RunDir(String id, Path dir) {
    public RunDir {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dir, "dir");
    }

    public Path journal() {
        return dir.resolve("journal.jsonl");
    }

    public Path plan() {
        return dir.resolve("plan.json");
    }

    public Path lock() {
        return dir.resolve("lock");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** The log of a step of a stage instance: {@code logs/test%5Bnode=18%5D/run%20tests.log}. */
    public Path log(String stage, String step) {
        return logs().resolve(FileNames.encode(stage)).resolve(FileNames.encode(step) + ".log");
    }

    /** {@link #log}, with its directory created. */
    public Path prepareLog(String stage, String step) throws IOException {
        Path log = log(stage, step);
        Files.createDirectories(log.getParent());
        return log;
    }

    /** When the run was created, from its id. */
    public Instant createdAt() {
        return RunIds.createdAt(id);
    }

    /** Writes plan.json ({@link PlanJson#json}) whole or not at all. */
    public void writePlan(Plan plan) throws IOException {
        writePlan(plan, java.util.function.UnaryOperator.identity());
    }

    /** Writes plan.json through {@code masker}, so that no secret value lands on disk even as literal text. */
    public void writePlan(Plan plan, java.util.function.UnaryOperator<String> masker) throws IOException {
        Durable.writeAtomically(plan(), masker.apply(PlanJson.json(plan)).getBytes(StandardCharsets.UTF_8));
    }

    /** The journal as it is now; a run whose journal was never written reads as empty. */
    public JournalFile readJournal() throws IOException {
        if (!Files.exists(journal())) {
            return JournalReader.parse(new byte[0], journal().toString());
        }
        return JournalReader.read(journal());
    }

    /** The run's state as its journal tells it; see {@link RunState#replay}. */
    public RunState state() throws IOException {
        return RunState.replay(readJournal().entries());
    }
}
