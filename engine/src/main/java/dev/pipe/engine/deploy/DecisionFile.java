package dev.pipe.engine.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The approval decisions given for one run, in {@code <run>/decisions.jsonl}: one JSON line
 * per {@code pipe approve}, {@code pipe reject} or answer at the run's prompt, appended under a
 * file lock and forced to disk before the command reports success. The run reads them at its
 * approval gates and judges each with {@link Approvals}; a line is never rewritten.
 *
 * <p>Also keeps, per environment, which run opened an approval gate last
 * ({@code environments/<env>/approval.json}): a newer run that waits to deploy to the same
 * environment supersedes an older run's pending gate.
 */
public final class DecisionFile {
    private final Path file;

    /** @param runDir the run's folder, {@code <state>/runs/<id>} */
    public DecisionFile(Path runDir) {
        this.file = runDir.resolve("decisions.jsonl");
    }

    public Path file() {
        return file;
    }

    /** One line of the file. */
    record Line(String decision, String by, Instant at, String comment, String runId, String stage, String environment,
            String version, String planDigest) {
    }

    /**
     * Appends a decision, its comment masked; returns once it is on disk. Only the comment is
     * masked: the rest must match the gate exactly, and none of it is a secret's place.
     */
    public void append(Approvals.Decision d, UnaryOperator<String> masker) throws IOException {
        Approvals.Subject s = d.subject();
        String json = DeployJson.line(new Line(d.verdict() == Approvals.Verdict.APPROVE ? "approve" : "reject", d.by(),
                d.at(), d.comment() == null ? null : masker.apply(d.comment()), s.runId(), s.stage(), s.environment(),
                s.version(), s.planDigest()), UnaryOperator.identity());
        FileMutex.with(file.resolveSibling("decisions.lock"), () -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            return null;
        });
    }

    /** Every decision given for {@code stage}, in the order given; a torn last line is left out. */
    public List<Approvals.Decision> of(String stage) throws IOException {
        List<Approvals.Decision> out = new ArrayList<>();
        for (Approvals.Decision d : all()) {
            if (d.subject().stage().equals(stage)) {
                out.add(d);
            }
        }
        return out;
    }

    /** Every decision in the file. */
    public List<Approvals.Decision> all() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Approvals.Decision> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            Line l;
            try {
                l = DeployJson.MAPPER.readValue(line, Line.class);
            } catch (JsonProcessingException e) {
                if (i == lines.length - 1) {
                    break; // torn by a crash while it was written: that decision was never reported as given
                }
                throw new IOException(file + ":" + (i + 1) + " is damaged: " + e.getOriginalMessage());
            }
            Approvals.Subject s = new Approvals.Subject(l.runId(), l.stage(), l.environment(), l.version(), l.planDigest());
            out.add("reject".equals(l.decision()) ? Approvals.Decision.reject(l.by(), l.at(), l.comment(), s)
                    : Approvals.Decision.approve(l.by(), l.at(), l.comment(), s));
        }
        return out;
    }

    /** Which run opened an approval gate for an environment last. */
    record Opened(String runId, String stage, Instant at) {
    }

    /**
     * Notes that {@code runId} waits for approvals to deploy to {@code environment}, unless a
     * newer run already does (or this one already did).
     */
    public static void opened(Path stateDir, String environment, String runId, String stage, Instant at) throws IOException {
        Path f = EnvironmentDir.of(stateDir, environment).dir().resolve("approval.json");
        FileMutex.with(f.resolveSibling("approval.lock"), () -> {
            Optional<Opened> last = read(f);
            // Run ids sort by the time their run started: only a newer run takes the place.
            if (last.isEmpty() || last.get().runId().compareTo(runId) < 0) {
                AtomicFiles.write(f, DeployJson.line(new Opened(runId, stage, at), UnaryOperator.identity())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
    }

    /** The run that opened an approval gate for the environment after {@code runId} did, if one did. */
    public static Optional<String> supersededBy(Path stateDir, String environment, String runId) throws IOException {
        Optional<Opened> last = read(EnvironmentDir.of(stateDir, environment).dir().resolve("approval.json"));
        return last.map(Opened::runId).filter(r -> !r.equals(runId) && r.compareTo(runId) > 0);
    }

    private static Optional<Opened> read(Path f) throws IOException {
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeployJson.MAPPER.readValue(Files.readString(f), Opened.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
