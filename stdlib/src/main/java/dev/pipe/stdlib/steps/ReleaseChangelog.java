package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.stdlib.git.GitException;
import dev.pipe.stdlib.git.GitRepo;
import dev.pipe.stdlib.release.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code release.changelog output: "CHANGELOG.md"}: release notes in Markdown from the
 * conventional commits since the last release tag (or {@code since}), headed by the next version
 * and grouped into breaking changes, features and fixes ({@link Release#markdown}). With
 * {@code output} the notes are written to that file, relative to the step's folder, replacing it.
 * Outputs: {@code markdown}, {@code version} and {@code tag}.
 */
public final class ReleaseChangelog implements StepFunction {
    private final RunPlace place;

    public ReleaseChangelog(RunPlace place) {
        this.place = place;
    }

    @Override
    public String name() {
        return "release.changelog";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
        if (args.workdir() == null) {
            return Result.failed("release.changelog needs the step's folder");
        }
        Release r;
        try (GitRepo repo = GitRepo.open(args.workdir())) {
            r = Release.of(repo, Commits.target(repo, place), ReleaseNextVersion.blankToNull(args.named("since")));
        } catch (GitException e) {
            return Result.failed(e.getMessage());
        }
        String md = r.markdown();
        log.write(OutputSink.Stream.STDOUT, md);
        String output = ReleaseNextVersion.blankToNull(args.named("output"));
        if (output != null) {
            try {
                Path file = Trees.inside(args.workdir(), output);
                Files.createDirectories(file.getParent());
                Files.writeString(file, md);
                log.write(OutputSink.Stream.STDOUT, "wrote " + output + "\n");
            } catch (IllegalArgumentException e) {
                return Result.failed("output: " + e.getMessage());
            } catch (IOException e) {
                return Result.failed(output + " could not be written: " + e.getMessage());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("markdown", md);
        out.put("version", r.next().number());
        out.put("tag", r.next().tag());
        return Result.ok(out);
    }
}
