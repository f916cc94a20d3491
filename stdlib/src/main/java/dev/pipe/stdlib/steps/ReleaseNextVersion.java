package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.stdlib.git.GitException;
import dev.pipe.stdlib.git.GitRepo;
import dev.pipe.stdlib.release.Release;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code release.next_version}: the next semantic version from the conventional commits since the
 * last release tag (or {@code since}); the rules are {@link Release}'s. Outputs: {@code version}
 * (1.3.0), {@code tag} (v1.3.0, spelled like the last tag), {@code bump} (major, minor, patch or
 * none) and {@code previous} (the last release's version, empty when there is none).
 */
public final class ReleaseNextVersion implements StepFunction {
    private final RunPlace place;

    public ReleaseNextVersion(RunPlace place) {
        this.place = place;
    }

    @Override
    public String name() {
        return "release.next_version";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
        if (args.workdir() == null) {
            return Result.failed("release.next_version needs the step's folder");
        }
        try (GitRepo repo = GitRepo.open(args.workdir())) {
            Release r = Release.of(repo, Commits.target(repo, place), blankToNull(args.named("since")));
            log.write(OutputSink.Stream.STDOUT, describe(r) + "\n");
            return Result.ok(outputs(r));
        } catch (GitException e) {
            return Result.failed(e.getMessage());
        }
    }

    static Map<String, String> outputs(Release r) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("version", r.next().number());
        out.put("tag", r.next().tag());
        out.put("bump", r.bump().word());
        out.put("previous", r.last() == null ? "" : r.last().number());
        return out;
    }

    static String describe(Release r) {
        return (r.lastTag() == null ? "no release tag yet" : "last release " + r.lastTag()) + "; "
                + r.commits().size() + " conventional commit" + (r.commits().size() == 1 ? "" : "s") + " since"
                + (r.skipped() == 0 ? "" : " (" + r.skipped() + " other" + (r.skipped() == 1 ? "" : "s") + " left out)")
                + "; " + r.bump().word() + " → " + r.next().tag();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
