package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.stdlib.git.GitFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pipe plan` and `pipe check` read the event and git.* from the repository around the file. */
class GitContextCliTest {
    @TempDir
    Path tmp;

    static final String PIPELINE = """
            pipeline app

            on push branches ["main", "feature/**"] paths ["src/**", "app.pipe"]
            on push tags ["v*"]
            on pull_request branches ["main"]

            stage build {
              step "show" {
                sh "echo ${git.short_sha} ${git.branch ?? "no branch"} ${event}"
              }
            }

            stage docs {
              when changed("docs/**")
              step "site" {
                sh "echo docs"
              }
            }

            stage deploy {
              needs [build]
              when event == tag
              deploy to production
              step "ship" {
                sh "echo shipping ${version}"
              }
            }

            environment production {
            }
            """;

    private GitFixture repo() {
        GitFixture repo = GitFixture.init(tmp.resolve("app"));
        repo.write("app.pipe", PIPELINE).write("src/main.c", "int main;").commit("feat: start");
        return repo;
    }

    private CliRun plan(GitFixture repo, String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "plan";
        args[1] = repo.dir.resolve("app.pipe").toString();
        args[2] = "--at";
        args[3] = "2026-11-24T16:00:00Z";
        System.arraycopy(more, 0, args, 4, more.length);
        return CliRun.of(args);
    }

    @Test
    void aBranchCheckoutPlansAPushWithTheCommitAndItsChangedFiles() {
        GitFixture repo = repo();
        repo.git("checkout", "-q", "-b", "feature/login");
        String sha = repo.change("src/login.c", "feat: login");
        CliRun r = plan(repo);
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("plan for pipeline app: a push to `feature/login`"), r::toString);
        assertTrue(r.out().contains("changed  src/login.c"), r::toString);
        assertTrue(r.out().contains("$ echo " + sha.substring(0, 7) + " feature/login push"), r::toString);
        assertTrue(r.out().contains("skip  docs"), r::toString);
    }

    @Test
    void changedFilesDecidePathsFiltersAndChangedCalls() {
        GitFixture repo = repo();
        repo.change("docs/index.md", "docs: words");
        CliRun r = plan(repo);
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("no trigger matches a push to `main`"), r::toString);
        assertTrue(r.out().contains("changed files: docs/index.md"), r::toString);

        // --changed, given by the person, wins over git.
        CliRun given = plan(repo, "--changed", "src/x.c", "--changed", "docs/a.md");
        assertTrue(given.out().contains("run   docs"), given::toString);
        assertTrue(given.out().contains("run   build"), given::toString);

        // --base counts the changes of several commits.
        repo.change("src/y.c", "fix: y");
        CliRun base = plan(repo, "--base", "HEAD~2");
        assertTrue(base.out().contains("changed  docs/index.md, src/y.c"), base::toString);
        assertTrue(base.out().contains("run   docs"), base::toString);
        CliRun bad = plan(repo, "--base", "nope");
        assertEquals(Exit.USAGE, bad.code(), bad::toString);
        assertEquals("pipe: --base nope is not a commit in this clone\n", bad.err());
    }

    @Test
    void aTagOnHeadPlansATagPushThatDeploysItsDescribeVersion() {
        GitFixture repo = repo();
        repo.git("tag", "-a", "v1.4.0", "-m", "1.4.0");
        CliRun r = plan(repo);
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("a push of tag `v1.4.0`"), r::toString);
        assertTrue(r.out().contains("$ echo shipping v1.4.0"), r::toString);

        // The options win: a push to main of the same commit does not deploy.
        CliRun push = plan(repo, "--branch", "main");
        assertTrue(push.out().contains("a push to `main`"), push::toString);
        assertTrue(push.out().contains("skip  deploy"), push::toString);
    }

    @Test
    void aPullRequestCountsFromTheMergeBase() {
        GitFixture repo = repo();
        repo.git("checkout", "-q", "-b", "topic");
        repo.change("src/topic.c", "feat: topic");
        repo.change("README.md", "docs: readme");
        CliRun r = plan(repo, "--event", "pull_request", "--branch", "main");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("changed  README.md, src/topic.c"), r::toString);
    }

    @Test
    void aDetachedHeadAndAnEmptyRepositoryAreOneLineErrors() throws IOException {
        GitFixture repo = repo();
        repo.change("src/b.c", "b");
        repo.git("checkout", "-q", "--detach", "HEAD");
        CliRun atTip = plan(repo);
        assertEquals(Exit.OK, atTip.code(), atTip::toString);
        assertTrue(atTip.out().contains("a push to `main`"), atTip::toString);
        String sha = repo.change("src/c.c", "c");
        CliRun detached = plan(repo);
        assertEquals(Exit.USAGE, detached.code(), detached::toString);
        assertEquals("pipe: HEAD is detached at " + sha.substring(0, 7) + " and neither a tag nor a branch points at it,"
                + " so pipe cannot tell which branch was pushed; pass --branch NAME\n", detached.err());
        assertEquals(Exit.OK, plan(repo, "--branch", "main").code());

        GitFixture empty = GitFixture.init(tmp.resolve("empty"));
        Files.writeString(empty.dir.resolve("app.pipe"), PIPELINE);
        CliRun r = CliRun.of("plan", empty.dir.resolve("app.pipe").toString());
        assertEquals(Exit.USAGE, r.code(), r::toString);
        assertEquals("pipe: the git repository at " + empty.dir.toAbsolutePath()
                + " has no commits yet, so there is nothing to build; commit first\n", r.err());
        assertEquals(Exit.OK, CliRun.of("check", empty.dir.resolve("app.pipe").toString()).code(), "check needs no commit");
    }

    @Test
    void aResumedRunPlansTheCommitItStartedWithEvenAfterNewCommits() throws IOException {
        GitFixture repo = GitFixture.init(tmp.resolve("gated"));
        repo.write("app.pipe", """
                pipeline gated
                on push
                environment production {
                  approval {
                    approvers ["alice"]
                    required 1
                  }
                }
                stage ship {
                  deploy to production
                  step "ship" {
                    sh "echo ${version} at ${git.short_sha} > shipped"
                  }
                }
                """).write(".gitignore", ".pipe/\nshipped\n");
        String first = repo.commit("feat: first");
        String state = repo.dir.resolve(".pipe").toString();
        CliRun r = CliRun.of("run", repo.dir.resolve("app.pipe").toString(), "--state", state, "--as", "ada");
        assertEquals(Exit.WAITING, r.code(), r::toString);
        String run = new dev.pipe.engine.journal.RunStore(repo.dir.resolve(".pipe")).latest().orElseThrow().id();

        repo.change("later.txt", "fix: a later commit");
        assertEquals(Exit.OK, CliRun.of("approve", run, "--as", "alice", "--state", state).code());
        CliRun resumed = CliRun.of("resume", run, "--state", state);
        assertEquals(Exit.OK, resumed.code(), resumed::toString);
        String shortSha = first.substring(0, 7);
        assertEquals(shortSha + " at " + shortSha, Files.readString(repo.dir.resolve("shipped")).strip(),
                "the version (git describe) and the commit of the run, not of the new HEAD");
    }

    @Test
    void outsideGitCheckWarnsAndPlanSaysWhyGitValuesAreUnknown() throws IOException {
        Path file = Files.writeString(Files.createDirectories(tmp.resolve("plain")).resolve("app.pipe"), PIPELINE);
        CliRun check = CliRun.of("check", file.toString());
        assertEquals(Exit.OK, check.code(), check::toString);
        assertTrue(check.out().contains("warning[W610]: `git.short_sha` is not available here: " + file
                + " is not in a git repository"), check::toString);
        assertTrue(check.out().contains("warning[W610]: `changed(...)` is not available here"), check::toString);

        CliRun plan = CliRun.of("plan", file.toString(), "--format", "json", "--changed", "src/a.c");
        assertEquals(Exit.OK, plan.code(), plan::toString);
        assertFalse(plan.err().contains("W610"), "plan explains unknown values instead of warning");

        CliRun run = CliRun.of("run", file.toString(), "--dry-run", "--changed", "src/a.c");
        assertTrue(run.out().contains("the commit's facts are not known (the pipeline is not in a git repository)"), run::toString);
    }
}
