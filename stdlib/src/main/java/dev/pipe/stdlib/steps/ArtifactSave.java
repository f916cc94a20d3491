package dev.pipe.stdlib.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code artifact.save "dist" path: "dist"}: copies a file or folder of the step's folder to
 * {@code STATE/artifacts/RUN/NAME/}, where {@code artifact.restore} in a later stage of the same
 * run finds it. Saving a name again in the run replaces it (the last stage to save wins), in one
 * move, so that a stage restoring at the same time sees the old copy or the new, never half.
 * The artifact remembers the path it was saved from, relative to the step's folder.
 */
public final class ArtifactSave implements StepFunction {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FILES = "files";
    static final String META = "artifact.json";

    private final RunPlace place;

    public ArtifactSave(RunPlace place) {
        this.place = place;
    }

    @Override
    public String name() {
        return "artifact.save";
    }

    /** Why an artifact step cannot run with these arguments (a bad name, no run), or null. */
    static String refusal(RunPlace place, Args args) {
        String bad = Trees.badName("the artifact's name", args.positional());
        if (bad != null) {
            return bad;
        }
        return place == null || args.workdir() == null ? "artifacts need a run: its state folder and id" : null;
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
        String name = args.positional();
        String refused = refusal(place, args);
        if (refused != null) {
            return Result.failed(refused);
        }
        String path = args.named("path");
        Path source;
        try {
            source = Trees.inside(args.workdir(), path);
        } catch (IllegalArgumentException e) {
            return Result.failed("path: " + e.getMessage());
        }
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            return Result.failed(path + " does not exist in " + args.workdir() + "; did an earlier step make it?");
        }
        Path target = place.artifacts().resolve(name);
        try {
            Path staged = Trees.staging(target);
            boolean dir = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
            long files = Trees.copy(source, staged.resolve(FILES));
            if (dir && !Files.exists(staged.resolve(FILES))) {
                Files.createDirectories(staged.resolve(FILES));
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("path", args.workdir().normalize().relativize(source).toString());
            meta.put("kind", dir ? "folder" : "file");
            meta.put("files", files);
            JSON.writerWithDefaultPrettyPrinter().writeValue(staged.resolve(META).toFile(), meta);
            Trees.replace(staged, target);
            log.write(OutputSink.Stream.STDOUT, "saved " + path + " as artifact " + name + " (" + files + " file"
                    + (files == 1 ? "" : "s") + ")\n");
            return Result.ok(Map.of());
        } catch (IOException e) {
            return Result.failed("artifact " + name + " could not be saved: " + e.getMessage());
        }
    }
}
