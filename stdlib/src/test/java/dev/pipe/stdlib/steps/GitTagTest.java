package dev.pipe.stdlib.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.stdlib.git.GitFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git.tag against a real repository and a bare remote made by the test. */
class GitTagTest {
    @TempDir
    Path tmp;

    private final StringBuilder log = new StringBuilder();
    private final OutputSink sink = (stream, chunk) -> log.append(chunk);

    private StepFunction.Result tag(Path dir, String name, Map<String, String> named) throws InterruptedException {
        return new GitTag(null).run(Calls.args(name, named, Map.of(), dir, null), sink, new Cancellation(), null);
    }

    @Test
    void tagsHeadAndPushesOnlyWhenAsked() throws Exception {
        GitFixture.run(tmp, "init", "-q", "--bare", "remote.git");
        GitFixture repo = GitFixture.init(tmp.resolve("work"));
        String sha = repo.change("a", "feat: a");
        repo.git("remote", "add", "origin", tmp.resolve("remote.git").toString());

        StepFunction.Result local = tag(repo.dir, "v1.0.0", Map.of("message", "Release 1.0.0"));
        assertNull(local.failure(), log::toString);
        assertEquals(Map.of("tag", "v1.0.0", "sha", sha), local.outputs());
        assertEquals(sha, repo.git("rev-list", "-n", "1", "v1.0.0"));
        assertEquals("tag", repo.git("cat-file", "-t", "v1.0.0"), "a message makes an annotated tag");
        assertEquals("Release 1.0.0", repo.git("tag", "-l", "--format=%(contents:subject)", "v1.0.0"));
        assertEquals("", GitFixture.run(tmp.resolve("remote.git"), "tag"), "not pushed unless asked");

        Map<String, String> push = new HashMap<>(Map.of("push", "true"));
        assertNull(tag(repo.dir, "v1.0.0", push).failure(), log::toString);
        assertEquals("v1.0.0", GitFixture.run(tmp.resolve("remote.git"), "tag"));
        assertTrue(log.toString().contains("tag v1.0.0 is already on " + sha.substring(0, 7)), log::toString);
        assertTrue(log.toString().contains("pushed v1.0.0 to origin: created"), log::toString);

        assertNull(tag(repo.dir, "light", Map.of()).failure());
        assertEquals("commit", repo.git("cat-file", "-t", "light"), "no message: a lightweight tag");
    }

    @Test
    void theRunsCommitIsTaggedEvenWhenHeadMovedOn() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("work"));
        String planned = repo.change("a", "feat: a");
        repo.change("b", "fix: b, committed while the run waited");
        RunPlace place = new RunPlace(tmp.resolve("state"), "run-1", planned);
        StepFunction.Result r = new GitTag(place).run(Calls.args("v1.0.0", Map.of(), Map.of(), repo.dir, null), sink,
                new Cancellation(), null);
        assertNull(r.failure(), log::toString);
        assertEquals(planned, repo.git("rev-list", "-n", "1", "v1.0.0"));

        // A commit the repository does not have (the step's folder is another repository): its HEAD.
        RunPlace elsewhere = new RunPlace(tmp.resolve("state"), "run-1", "0123456789abcdef0123456789abcdef01234567");
        new GitTag(elsewhere).run(Calls.args("head", Map.of(), Map.of(), repo.dir, null), sink, new Cancellation(), null);
        assertEquals(repo.git("rev-parse", "HEAD"), repo.git("rev-list", "-n", "1", "head"));
    }

    @Test
    void aTagIsNeverMovedAndMistakesAreOneSentence() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("work"));
        String first = repo.change("a", "a");
        repo.git("tag", "v1.0.0");
        repo.change("b", "b");
        assertEquals("tag v1.0.0 already exists on " + first.substring(0, 7) + "; pipe does not move tags",
                tag(repo.dir, "v1.0.0", Map.of()).failure());
        assertEquals("`bad name` is not a valid tag name", tag(repo.dir, "bad name", Map.of()).failure());
        assertEquals("the repository has no remote `origin`", tag(repo.dir, "v2.0.0", Map.of("push", "true")).failure());
        assertEquals(tmp.resolve("elsewhere").toAbsolutePath() + " is not in a git repository",
                tag(java.nio.file.Files.createDirectories(tmp.resolve("elsewhere")), "v1", Map.of()).failure());
    }
}
