package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.stdlib.git.GitException;
import dev.pipe.stdlib.git.GitRepo;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/**
 * {@code git.tag "v1.2.3" message: "Release 1.2.3" push: true}: tags the run's commit
 * ({@code git.sha}; HEAD when the repository that holds the step's folder does not have it), with JGit. With {@code message} the tag is annotated; without, it is
 * lightweight. It is pushed only when {@code push} is true, to {@code remote} (origin by default).
 * Tagging again a commit that already has the tag succeeds (a retried or resumed step); a tag of
 * that name on another commit fails the step, since pipe never moves a tag.
 * Outputs: {@code tag} and {@code sha}, the commit tagged.
 */
public final class GitTag implements StepFunction {
    private final RunPlace place;

    public GitTag(RunPlace place) {
        this.place = place;
    }

    @Override
    public String name() {
        return "git.tag";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) {
        String name = args.positional() == null ? "" : args.positional().strip();
        if (name.isEmpty()) {
            return Result.failed("the tag name is empty");
        }
        if (args.workdir() == null) {
            return Result.failed("git.tag needs the step's folder");
        }
        boolean push = "true".equals(args.named("push"));
        String remote = args.named("remote") == null ? "origin" : args.named("remote").strip();
        try (GitRepo repo = GitRepo.open(args.workdir())) {
            ObjectId head = Commits.target(repo, place);
            boolean created = repo.tag(name, args.named("message"), head);
            String sha = head.name();
            log.write(OutputSink.Stream.STDOUT, (created ? "tagged " : "tag " + name + " is already on ")
                    + sha.substring(0, 7) + (created ? " as " + name : "") + "\n");
            if (push) {
                int seconds = timeout == null ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
                String said = repo.push(remote, name, seconds);
                log.write(OutputSink.Stream.STDOUT, "pushed " + name + " to " + remote + ": " + said + "\n");
            }
            return Result.ok(Map.of("tag", name, "sha", sha));
        } catch (GitException e) {
            return Result.failed(e.getMessage());
        }
    }
}
