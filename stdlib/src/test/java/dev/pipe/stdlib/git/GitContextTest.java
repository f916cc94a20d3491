package dev.pipe.stdlib.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.plan.EventKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event and git facts, read with JGit from real repositories made by the git command. */
class GitContextTest {
    @TempDir
    Path tmp;

    private static final GitContext.Given NOTHING = new GitContext.Given(null, null, null, null, null, null);

    private static GitContext.Answer read(GitFixture repo, GitContext.Given given) throws GitException {
        return GitContext.read(repo.dir, given);
    }

    @Test
    void aBranchCheckoutIsAPushToThatBranchWithTheCommitsFacts() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.write("src/a.txt", "a").write("README.md", "hi").commit("feat: first");
        repo.git("checkout", "-q", "-b", "feature/cart");
        repo.write("src/b.txt", "b");
        String sha = repo.commit("fix(cart): round totals\n\nLonger body.");

        GitContext.Answer a = read(repo, NOTHING);
        assertEquals(EventKind.PUSH, a.kind());
        assertEquals("feature/cart", a.branch());
        assertNull(a.tag());
        assertEquals(sha, a.sha());
        assertEquals("fix(cart): round totals\n\nLonger body.", a.message());
        assertEquals("Ada Lovelace", a.author());
        assertEquals(List.of("src/b.txt"), a.changed(), "since the previous commit");
        assertNull(a.gitUnknown());
        assertNull(a.changedUnknown());
        assertEquals(sha.substring(0, 7), a.describe(), "no tag yet: the short sha");
    }

    @Test
    void aSubfolderFindsTheRepositoryAndPathsStayRelativeToItsTop() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.write("ci/app.pipe", "x").commit("one");
        repo.write("ci/app.pipe", "y").commit("two");
        GitContext.Answer a = GitContext.read(repo.dir.resolve("ci"), NOTHING);
        assertEquals("main", a.branch());
        assertEquals(List.of("ci/app.pipe"), a.changed());
    }

    @Test
    void theRootCommitChangesEveryFile() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.write("a", "1").write("d/b", "2").commit("init");
        assertEquals(List.of("a", "d/b"), read(repo, NOTHING).changed());
    }

    @Test
    void deletedAndRenamedFilesCount() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.write("old.txt", "same content here").write("gone.txt", "x").commit("init");
        repo.git("mv", "old.txt", "new.txt");
        repo.git("rm", "-q", "gone.txt");
        repo.commit("move");
        assertEquals(List.of("gone.txt", "new.txt", "old.txt"), read(repo, NOTHING).changed());
    }

    @Test
    void aTagOnHeadMakesATagPushAndTheHighestVersionWins() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "feat: a");
        repo.git("tag", "-a", "v1.0.0", "-m", "one");
        repo.change("b", "fix: b");
        repo.git("tag", "v1.0.1");
        repo.git("tag", "-a", "v1.1.0", "-m", "minor");
        repo.git("tag", "nightly");

        GitContext.Answer a = read(repo, NOTHING);
        assertEquals(EventKind.TAG, a.kind());
        assertEquals("v1.1.0", a.tag());
        assertNull(a.branch());
        assertEquals("v1.1.0", a.describe());
    }

    @Test
    void describeCountsCommitsSinceTheNearestTag() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "a");
        repo.git("tag", "-a", "v2.0.0", "-m", "two");
        repo.change("b", "b");
        String sha = repo.change("c", "c");
        assertEquals("v2.0.0-2-g" + sha.substring(0, 7), read(repo, NOTHING).describe());
    }

    @Test
    void optionsGivenByThePersonWinOverGit() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        String first = repo.change("a", "first");
        repo.git("tag", "v1.0.0");
        repo.change("b", "second");

        GitContext.Answer branch = read(repo, new GitContext.Given(null, "release", null, null, null, null));
        assertEquals(EventKind.PUSH, branch.kind());
        assertEquals("release", branch.branch());

        GitContext.Answer manual = read(repo, new GitContext.Given(EventKind.MANUAL, null, null, null, null, null));
        assertEquals(EventKind.MANUAL, manual.kind());
        assertEquals("main", manual.branch(), "a manual run builds the checked-out branch");

        GitContext.Answer tag = read(repo, new GitContext.Given(null, null, "v9.9.9", null, null, null));
        assertEquals(EventKind.TAG, tag.kind());
        assertEquals("v9.9.9", tag.tag());

        GitContext.Answer changed = read(repo, new GitContext.Given(null, null, null, null, null, List.of("x.txt")));
        assertEquals(List.of("x.txt"), changed.changed());

        // --sha picks another commit of the clone: its facts, and its tag makes the event a tag push.
        GitContext.Answer old = read(repo, new GitContext.Given(null, null, null, first, null, null));
        assertEquals(first, old.sha());
        assertEquals("first", old.message());
        assertEquals(EventKind.TAG, old.kind());
        assertEquals("v1.0.0", old.tag());
        assertEquals(List.of("a"), old.changed());

        GitContext.Answer unknown = read(repo, new GitContext.Given(null, null, null, "deadbeef", null, null));
        assertEquals("deadbeef", unknown.sha());
        assertNull(unknown.message());
        assertTrue(unknown.gitUnknown().contains("deadbeef (--sha) is not in this clone"), unknown.gitUnknown());
    }

    @Test
    void baseCountsChangesOverSeveralCommits() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "a");
        repo.git("tag", "before");
        repo.change("b", "b");
        repo.change("c", "c");
        assertEquals(List.of("b", "c"), read(repo, new GitContext.Given(null, null, null, null, "before", null)).changed());
        assertEquals(List.of("b", "c"), read(repo, new GitContext.Given(null, null, null, null, "HEAD~2", null)).changed());
        GitException e = assertThrows(GitException.class,
                () -> read(repo, new GitContext.Given(null, null, null, null, "no-such-rev", null)));
        assertEquals("--base no-such-rev is not a commit in this clone", e.getMessage());
    }

    @Test
    void aPullRequestCountsChangesSinceTheMergeBaseWithItsTarget() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("shared.txt", "base");
        repo.git("checkout", "-q", "-b", "feature");
        repo.change("feature1.txt", "f1");
        repo.git("checkout", "-q", "main");
        repo.change("main-only.txt", "main moved on");
        repo.git("checkout", "-q", "feature");
        repo.change("feature2.txt", "f2");
        // Merging main in does not make main's files part of the pull request.
        repo.git("merge", "-q", "--no-edit", "main");

        GitContext.Answer pr = read(repo, new GitContext.Given(EventKind.PULL_REQUEST, "main", null, null, null, null));
        assertEquals("main", pr.branch());
        assertEquals(List.of("feature1.txt", "feature2.txt"), pr.changed());

        // A push of the merge commit counts against its first parent: what the merge brought in.
        assertEquals(List.of("main-only.txt"), read(repo, NOTHING).changed());

        GitContext.Answer missing = read(repo, new GitContext.Given(EventKind.PULL_REQUEST, "develop", null, null, null, null));
        assertNull(missing.changed());
        assertEquals("the target branch develop is not in this clone; fetch it with `git fetch origin develop`",
                missing.changedUnknown());
    }

    @Test
    void aPullRequestPrefersTheRemoteTrackingBranch() throws Exception {
        GitFixture origin = GitFixture.init(tmp.resolve("origin"));
        origin.change("a", "a");
        GitFixture.run(tmp, "clone", "-q", "file://" + origin.dir, "clone");
        GitFixture clone = GitFixture.at(tmp.resolve("clone"));
        clone.git("checkout", "-q", "-b", "topic");
        clone.change("t", "topic work");
        // The local main is stale; origin/main moved on with a file of its own.
        origin.change("o", "origin work");
        clone.git("fetch", "-q", "origin");
        GitContext.Answer pr = read(clone, new GitContext.Given(EventKind.PULL_REQUEST, "main", null, null, null, null));
        assertEquals(List.of("t"), pr.changed());
    }

    @Test
    void aShallowCloneSaysTheBaseIsMissing() throws Exception {
        GitFixture origin = GitFixture.init(tmp.resolve("origin"));
        origin.change("a", "a");
        origin.git("tag", "-a", "v1.0.0", "-m", "one");
        origin.change("b", "b");
        String head = origin.change("c", "c");
        GitFixture.run(tmp, "clone", "-q", "--depth", "1", "file://" + origin.dir, "shallow");
        GitFixture shallow = GitFixture.at(tmp.resolve("shallow"));

        GitContext.Answer a = read(shallow, NOTHING);
        assertEquals(head, a.sha());
        assertEquals("main", a.branch());
        assertEquals("c", a.message());
        assertNull(a.changed());
        assertEquals("this is a shallow clone and the commit before " + head.substring(0, 7)
                + " was not fetched; fetch it with `git fetch --deepen=1`, or pass --base REV", a.changedUnknown());
        assertEquals(head.substring(0, 7), a.describe(), "the tag is not in the clone");

        GitContext.Answer pr = read(shallow, new GitContext.Given(EventKind.PULL_REQUEST, "main", null, null, null, null));
        assertEquals(List.of(), pr.changed(), "HEAD is main's tip: the pull request changes nothing");

        GitException e = assertThrows(GitException.class,
                () -> read(shallow, new GitContext.Given(null, null, null, null, "HEAD~1", null)));
        assertTrue(e.getMessage().contains("shallow clone"), e.getMessage());

        shallow.git("fetch", "-q", "--deepen=1");
        assertEquals(List.of("c"), read(shallow, NOTHING).changed(), "one more commit is enough");
    }

    @Test
    void aShallowPullRequestWhoseMergeBaseIsMissingSaysSo() throws Exception {
        GitFixture origin = GitFixture.init(tmp.resolve("origin"));
        origin.change("a", "a");
        origin.git("checkout", "-q", "-b", "topic");
        origin.change("t1", "t1");
        origin.change("t2", "t2");
        origin.git("checkout", "-q", "main");
        origin.change("m1", "m1");
        origin.change("m2", "m2");
        GitFixture.run(tmp, "clone", "-q", "--depth", "1", "--no-single-branch", "-b", "topic", "file://" + origin.dir, "shallow");
        GitContext.Answer pr = read(GitFixture.at(tmp.resolve("shallow")),
                new GitContext.Given(EventKind.PULL_REQUEST, "main", null, null, null, null));
        assertNull(pr.changed());
        assertTrue(pr.changedUnknown().contains("is missing from this shallow clone"), pr.changedUnknown());
    }

    @Test
    void aDetachedHeadIsTheBranchWhoseTipItIsOrNeedsATagOrABranch() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        String first = repo.change("a", "a");
        repo.git("tag", "v0.1.0");
        String second = repo.change("b", "b");

        // As a CI system checks out: detached at the tip of the branch that was pushed.
        repo.git("checkout", "-q", "--detach", second);
        GitContext.Answer tip = read(repo, NOTHING);
        assertEquals(EventKind.PUSH, tip.kind());
        assertEquals("main", tip.branch());

        // Two branches at the commit: which one was pushed cannot be told.
        repo.git("branch", "release", second);
        GitException two = assertThrows(GitException.class, () -> read(repo, NOTHING));
        assertEquals("HEAD is detached at " + second.substring(0, 7) + " and several branches point at it (main, release),"
                + " so pipe cannot tell which branch was pushed; pass --branch NAME", two.getMessage());

        // A commit no branch has.
        String third = repo.change("c", "c");
        GitException e = assertThrows(GitException.class, () -> read(repo, NOTHING));
        assertEquals("HEAD is detached at " + third.substring(0, 7)
                + " and neither a tag nor a branch points at it, so pipe cannot tell which branch was pushed; pass --branch NAME",
                e.getMessage());
        GitContext.Answer given = read(repo, new GitContext.Given(null, "main", null, null, null, null));
        assertEquals("main", given.branch());
        assertEquals(third, given.sha());

        repo.git("checkout", "-q", "--detach", first);
        GitContext.Answer tagged = read(repo, NOTHING);
        assertEquals(EventKind.TAG, tagged.kind());
        assertEquals("v0.1.0", tagged.tag());
    }

    @Test
    void aRemoteTrackingBranchNamesADetachedHeadToo() throws Exception {
        GitFixture origin = GitFixture.init(tmp.resolve("origin"));
        String sha = origin.change("a", "a");
        GitFixture.run(tmp, "clone", "-q", "file://" + origin.dir, "clone");
        GitFixture clone = GitFixture.at(tmp.resolve("clone"));
        clone.git("checkout", "-q", "--detach", sha);
        clone.git("branch", "-q", "-D", "main");
        GitContext.Answer a = read(clone, NOTHING);
        assertEquals("main", a.branch(), "origin/main points at HEAD");
    }

    @Test
    void aLinkedWorktreeHasItsOwnHeadAndBranch() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("main"));
        repo.change("a", "a");
        repo.git("worktree", "add", "-q", "-b", "hotfix", tmp.resolve("wt").toString());
        GitFixture wt = GitFixture.at(tmp.resolve("wt"));
        String sha = wt.change("fix.txt", "fix: hot");
        repo.git("tag", "v3.0.0", sha);

        GitContext.Answer a = read(wt, new GitContext.Given(null, "hotfix", null, null, null, null));
        assertEquals("hotfix", a.branch());
        assertEquals(sha, a.sha());
        assertEquals(List.of("fix.txt"), a.changed());
        assertEquals("v3.0.0", read(wt, NOTHING).tag(), "tags are shared with the main checkout");
        assertEquals("main", read(repo, NOTHING).branch(), "the main checkout keeps its own HEAD");
    }

    @Test
    void anEmptyRepositoryIsAClearError() {
        GitFixture repo = GitFixture.init(tmp.resolve("empty"));
        GitException e = assertThrows(GitException.class, () -> read(repo, NOTHING));
        assertEquals("the git repository at " + repo.dir.toAbsolutePath()
                + " has no commits yet, so there is nothing to build; commit first", e.getMessage());
    }

    @Test
    void outsideGitTheOptionsAloneDescribeTheEvent() throws Exception {
        Path dir = tmp.resolve("plain");
        java.nio.file.Files.createDirectories(dir);
        GitContext.Answer a = GitContext.read(dir, NOTHING);
        assertEquals(EventKind.PUSH, a.kind());
        assertEquals("main", a.branch());
        assertNull(a.sha());
        assertNull(a.changed());
        assertEquals("the pipeline is not in a git repository", a.gitUnknown());
        assertEquals("the pipeline is not in a git repository", a.changedUnknown());

        GitContext.Answer given = GitContext.read(dir, new GitContext.Given(null, null, "v1.0.0", "abc1234", null, List.of("a")));
        assertEquals(EventKind.TAG, given.kind());
        assertEquals("abc1234", given.sha());
        assertEquals(List.of("a"), given.changed());
        assertNull(given.changedUnknown());

        GitException e = assertThrows(GitException.class,
                () -> GitContext.read(dir, new GitContext.Given(null, null, null, null, "HEAD~1", null)));
        assertTrue(e.getMessage().startsWith("--base needs a git repository"), e.getMessage());
    }
}
