package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.stdlib.git.GitFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in steps end to end through `pipe run`, in a real repository with a bare remote:
 * cache, artifact.save and artifact.restore across stages, wait, release.next_version,
 * release.changelog and git.tag with push.
 */
class BuiltinStepsRunTest {
    @TempDir
    Path tmp;

    static final String PIPELINE = """
            pipeline release

            on push

            stage build {
              step "deps" {
                cache key: "deps" files: ["deps.lock"] paths: ["deps"]
              }
              step "install" {
                sh "mkdir -p deps && cat deps.lock > deps/installed && echo installed"
                when steps.deps.hit == "false"
              }
              step "compile" {
                sh "mkdir -p dist && cp deps/installed dist/app && echo built-${git.short_sha} >> dist/app"
              }
              step "keep" {
                artifact.save "dist" path: "dist"
              }
              output cache_hit = steps.deps.hit
            }

            stage release {
              needs [build]
              step "settle" {
                wait 10ms
              }
              step "next" {
                release.next_version
              }
              step "notes" {
                release.changelog output: "out/CHANGELOG.md"
              }
              step "fetch" {
                artifact.restore "dist" path: "out/dist"
              }
              step "tag" {
                git.tag steps.next.tag message: "Release ${steps.next.version}" push: true
              }
              step "check" {
                sh "grep -q lock-1 out/dist/app && grep -q built-${git.short_sha} out/dist/app && echo ${steps.next.bump}"
              }
              output version = steps.next.version
            }
            """;

    @Test
    void aReleaseRunUsesEveryBuiltinStep() throws IOException {
        GitFixture.run(tmp, "init", "-q", "--bare", "remote.git");
        GitFixture repo = GitFixture.init(tmp.resolve("app"));
        repo.write(".gitignore", ".pipe/\nout/\ndeps/\ndist/\n").write("deps.lock", "lock-1").write("release.pipe", PIPELINE)
                .commit("feat: first");
        repo.git("tag", "v1.0.0");
        repo.git("remote", "add", "origin", tmp.resolve("remote.git").toString());
        repo.change("src/a", "fix(core): a bug");
        String sha = repo.change("src/b", "feat(ui): a button");
        String state = repo.dir.resolve(".pipe").toString();

        CliRun r = CliRun.of("run", repo.dir.resolve("release.pipe").toString(), "--state", state);
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("[build/deps] cache miss for deps-"), r::toString);
        assertTrue(r.out().contains("[build/deps: save cache] saved cache deps-"), r::toString);
        assertTrue(r.out().contains("[release/next] last release v1.0.0; 2 conventional commits since; minor → v1.1.0"), r::toString);
        assertTrue(r.out().contains("[release/check] minor"), r::toString);
        assertEquals(sha, GitFixture.run(tmp.resolve("remote.git"), "rev-list", "-n", "1", "v1.1.0"), "pushed to the remote");
        assertEquals("tag", repo.git("cat-file", "-t", "v1.1.0"));
        String notes = Files.readString(repo.dir.resolve("out/CHANGELOG.md"));
        assertTrue(notes.startsWith("## v1.1.0\n\n### Features\n\n- **ui:** a button (" + sha.substring(0, 7) + ")\n"), notes);
        assertTrue(notes.contains("### Fixes\n\n- **core:** a bug"), notes);
        try (var dirs = Files.list(repo.dir.resolve(".pipe/artifacts"))) {
            assertEquals(1, dirs.count(), "one run's artifacts");
        }

        // The next run: HEAD is on the new tag now (a tag push), and the cache hits.
        CliRun again = CliRun.of("run", repo.dir.resolve("release.pipe").toString(), "--state", state);
        assertEquals(Exit.OK, again.code(), again::toString);
        assertTrue(again.out().contains("a push of tag `v1.1.0`"), again::toString);
        assertTrue(again.out().contains("[build/deps] cache hit for deps-"), again::toString);
        assertTrue(again.out().contains("[build/install] skipped: when `steps.deps.hit == \"false\"` is false"), again::toString);
        assertTrue(again.out().contains("[release/tag] tag v1.1.0 is already on " + sha.substring(0, 7)), again::toString);
        assertTrue(again.out().contains("[release/tag] pushed v1.1.0 to origin: already there"), again::toString);
    }

    @Test
    void aRestoreOfAnArtifactNoStageSavedFailsTheStep() throws IOException {
        GitFixture repo = GitFixture.init(tmp.resolve("app"));
        repo.write("p.pipe", """
                pipeline p
                on push
                stage deploy {
                  step "fetch" {
                    artifact.restore "dist"
                  }
                }
                """).commit("init");
        CliRun r = CliRun.of("run", repo.dir.resolve("p.pipe").toString(), "--state", tmp.resolve("state").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.out().contains("no artifact dist was saved in run "), r::toString);
    }
}
