package dev.pipe.stdlib.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.stdlib.git.GitException;
import dev.pipe.stdlib.git.GitFixture;
import dev.pipe.stdlib.git.GitRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Next versions and changelogs from real commit histories. */
class ReleaseTest {
    @TempDir
    Path tmp;

    private Release release(GitFixture repo, String since) throws GitException {
        try (GitRepo r = GitRepo.open(repo.dir)) {
            return Release.of(r, since);
        }
    }

    @Test
    void conventionalHeadersAndFooters() {
        ConventionalCommit c = ConventionalCommit.parse("abc", "feat(api): add orders\n\nBody text.").orElseThrow();
        assertEquals("feat", c.type());
        assertEquals("api", c.scope());
        assertFalse(c.breaking());
        assertEquals("add orders", c.description());
        assertEquals(Semver.Bump.MINOR, c.bump());

        ConventionalCommit bang = ConventionalCommit.parse("abc", "refactor!: drop Java 17").orElseThrow();
        assertTrue(bang.breaking());
        assertNull(bang.scope());
        assertEquals(Semver.Bump.MAJOR, bang.bump());

        ConventionalCommit footer = ConventionalCommit.parse("abc",
                "fix: new config format\n\nExplained here.\n\nBREAKING CHANGE: the old keys are\nno longer read.\nRefs: #12").orElseThrow();
        assertTrue(footer.breaking());
        assertEquals("the old keys are no longer read.", footer.breakingNote());

        assertEquals(Semver.Bump.PATCH, ConventionalCommit.parse("x", "FIX: case does not matter").orElseThrow().bump());
        assertEquals(Semver.Bump.NONE, ConventionalCommit.parse("x", "docs: readme").orElseThrow().bump());
        assertTrue(ConventionalCommit.parse("x", "Merge branch 'main' into topic").isEmpty());
        assertTrue(ConventionalCommit.parse("x", "wip").isEmpty());
        assertTrue(ConventionalCommit.parse("x", "feat:no space").isEmpty());
    }

    @Test
    void semverOrderAndBumps() {
        Semver v = Semver.parse("v1.2.3").orElseThrow();
        assertEquals("v2.0.0", v.bump(Semver.Bump.MAJOR).tag());
        assertEquals("1.3.0", v.bump(Semver.Bump.MINOR).number());
        assertEquals("v1.2.4", v.bump(Semver.Bump.PATCH).tag());
        assertEquals("2.0.0", Semver.parse("2.0.0").orElseThrow().tag(), "no prefix stays no prefix");
        assertTrue(Semver.parse("v1.2.3-rc.1").orElseThrow().compareTo(v) < 0, "a pre-release comes before its release");
        assertTrue(Semver.parse("v1.2.4-rc.1").orElseThrow().compareTo(Semver.parse("v1.2.4").orElseThrow()) < 0);
        assertTrue(Semver.parse("v1.10.0").orElseThrow().compareTo(Semver.parse("v1.9.0").orElseThrow()) > 0);
        assertTrue(Semver.parse("v1.2").isEmpty());
        assertTrue(Semver.parse("release-1").isEmpty());
        assertTrue(Semver.parse("v01.2.3").isEmpty());
    }

    @Test
    void theNextVersionFollowsTheLargestChangeSinceTheLastReleaseTag() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "feat: first feature");
        repo.git("tag", "-a", "v1.0.0", "-m", "1.0.0");
        repo.change("b", "feat: second feature");
        repo.git("tag", "v1.1.0");
        // A pre-release and a tag that is not a version are not releases.
        repo.change("c", "fix: a fix");
        repo.git("tag", "v1.2.0-rc.1");
        repo.git("tag", "nightly");
        repo.change("d", "docs: words");

        Release r = release(repo, null);
        assertEquals("v1.1.0", r.lastTag());
        assertEquals(Semver.Bump.PATCH, r.bump());
        assertEquals("v1.1.1", r.next().tag());
        assertEquals(2, r.commits().size());

        repo.change("e", "feat(ui): dark mode");
        assertEquals("v1.2.0", release(repo, null).next().tag());

        repo.change("f", "perf: faster\n\nBREAKING CHANGE: needs more memory");
        Release major = release(repo, null);
        assertEquals(Semver.Bump.MAJOR, major.bump());
        assertEquals("v2.0.0", major.next().tag());

        Release since = release(repo, "v1.0.0");
        assertEquals("v1.0.0", since.lastTag());
        assertEquals(5, since.commits().size());
        GitException e = assertThrows(GitException.class, () -> release(repo, "v9.9.9"));
        assertEquals("tag v9.9.9 is not in this clone", e.getMessage());
    }

    @Test
    void aTagOnAnotherBranchIsNotTheLastRelease() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "feat: base");
        repo.git("tag", "v1.0.0");
        repo.git("checkout", "-q", "-b", "side");
        repo.change("s", "feat: side work");
        repo.git("tag", "v5.0.0");
        repo.git("checkout", "-q", "main");
        repo.change("m", "fix: main work");
        Release r = release(repo, null);
        assertEquals("v1.0.0", r.lastTag());
        assertEquals("v1.0.1", r.next().tag());
    }

    @Test
    void mergedBranchesBringTheirCommits() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "chore: init");
        repo.git("tag", "v0.3.0");
        repo.git("checkout", "-q", "-b", "topic");
        repo.change("t", "feat(topic): from a branch");
        repo.git("checkout", "-q", "main");
        repo.change("m", "fix: on main");
        repo.git("merge", "-q", "--no-ff", "--no-edit", "topic");
        Release r = release(repo, null);
        assertEquals(2, r.commits().size());
        assertEquals(1, r.skipped(), "the merge commit");
        assertEquals("v0.4.0", r.next().tag());
    }

    @Test
    void theFirstReleaseGrowsFromZero() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "chore: init");
        Release none = release(repo, null);
        assertNull(none.lastTag());
        assertEquals("v0.1.0", none.next().tag(), "a first release needs a version even without features");
        repo.change("b", "fix: a bug");
        assertEquals("v0.0.1", release(repo, null).next().tag());
        repo.change("c", "feat!: all new");
        assertEquals("v1.0.0", release(repo, null).next().tag());
    }

    @Test
    void theChangelogGroupsBreakingChangesFeaturesAndFixes() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "feat: first");
        repo.git("tag", "1.4.2");
        String fix1 = repo.change("b", "fix(cart): round totals");
        String feat = repo.change("c", "feat: export to CSV");
        repo.change("d", "docs: explain export");
        String breaking = repo.change("e", "feat(api)!: orders are paged\n\nBREAKING CHANGE: clients must follow `next` links.");
        String fix2 = repo.change("f", "fix: typo in the footer");
        repo.change("g", "not conventional at all");

        Release r = release(repo, null);
        assertEquals("2.0.0", r.next().tag(), "spelled like the last tag, without v");
        assertEquals("""
                ## 2.0.0

                ### Breaking changes

                - **api:** orders are paged (%s)
                  clients must follow `next` links.

                ### Features

                - export to CSV (%s)

                ### Fixes

                - typo in the footer (%s)
                - **cart:** round totals (%s)
                """.formatted(breaking.substring(0, 7), feat.substring(0, 7), fix2.substring(0, 7), fix1.substring(0, 7)),
                r.markdown());
    }

    @Test
    void aChangelogWithNothingNotableSaysSo() throws Exception {
        GitFixture repo = GitFixture.init(tmp.resolve("r"));
        repo.change("a", "feat: first");
        repo.git("tag", "v1.0.0");
        repo.change("b", "chore: deps");
        assertEquals("## v1.0.0\n\nNo notable changes since v1.0.0.\n", release(repo, null).markdown());
    }

    @Test
    void aShallowCloneWithoutTheReleaseHistorySaysHowToFetchIt() throws Exception {
        GitFixture origin = GitFixture.init(tmp.resolve("origin"));
        origin.change("a", "feat: a");
        origin.git("tag", "v1.0.0");
        origin.change("b", "fix: b");
        origin.change("c", "fix: c");
        GitFixture.run(tmp, "clone", "-q", "--depth", "1", "file://" + origin.dir, "shallow");
        GitFixture shallow = GitFixture.at(tmp.resolve("shallow"));
        GitException e = assertThrows(GitException.class, () -> release(shallow, null));
        assertEquals("this shallow clone has no release tag in its history, so the commits of the release are not known;"
                + " fetch history and tags with `git fetch --unshallow --tags`", e.getMessage());
        shallow.git("fetch", "-q", "--unshallow", "--tags");
        assertEquals("v1.0.1", release(shallow, null).next().tag());
    }
}
