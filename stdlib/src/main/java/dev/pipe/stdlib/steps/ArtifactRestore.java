package dev.pipe.stdlib.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code artifact.restore "dist"} (or {@code path: "other/place"}): copies an artifact saved
 * earlier in the same run back into the step's folder, where it was saved from unless
 * {@code path} says otherwise. Files already there are overwritten; others are left alone.
 */
public final class ArtifactRestore implements StepFunction {
    private final RunPlace place;

    public ArtifactRestore(RunPlace place) {
        this.place = place;
    }

    @Override
    public String name() {
        return "artifact.restore";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
        String name = args.positional();
        String refused = ArtifactSave.refusal(place, args);
        if (refused != null) {
            return Result.failed(refused);
        }
        Path saved = place.artifacts().resolve(name);
        if (!Files.isRegularFile(saved.resolve(ArtifactSave.META))) {
            return Result.failed("no artifact " + name + " was saved in run " + place.runId()
                    + "; save it with artifact.save in a stage this one needs");
        }
        try {
            JsonNode meta = ArtifactSave.JSON.readTree(saved.resolve(ArtifactSave.META).toFile());
            String path = args.named("path") != null ? args.named("path") : meta.path("path").asText();
            Path target;
            try {
                target = Trees.inside(args.workdir(), path);
            } catch (IllegalArgumentException e) {
                return Result.failed("path: " + e.getMessage());
            }
            long files = Trees.copy(saved.resolve(ArtifactSave.FILES), target);
            log.write(OutputSink.Stream.STDOUT, "restored artifact " + name + " to " + path + " (" + files + " file"
                    + (files == 1 ? "" : "s") + ")\n");
            return Result.ok(Map.of());
        } catch (IOException e) {
            return Result.failed("artifact " + name + " could not be restored: " + e.getMessage());
        }
    }
}
