package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.stdlib.git.GitFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/release as its README tells it, in the scratch repository its try.sh makes. */
class ReleaseExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theReadmeWalkthrough() throws Exception {
        Path repo = tmp.resolve("shop");
        Process p = new ProcessBuilder(CliRun.root().resolve("examples/release/try.sh").toString(), repo.toString())
                .redirectErrorStream(true).start();
        String made = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), made);
        assertEquals(repo.toString(), made);
        String file = repo.resolve("release.pipe").toString();
        String state = repo.resolve(".pipe").toString();

        CliRun plan = CliRun.of("plan", file);
        assertEquals(Exit.OK, plan.code(), plan::toString);
        assertTrue(plan.out().contains("plan for pipeline release: a push to `main`"), plan::toString);
        assertTrue(plan.out().contains("changed  docs/orders.md"), plan::toString);
        assertTrue(plan.out().contains("run   docs"), plan::toString);

        CliRun preview = CliRun.of("run", file, "--state", state);
        assertEquals(Exit.OK, preview.code(), preview::toString);
        assertTrue(preview.out().contains("[release/tag] skipped: when `event == manual` is false"), preview::toString);
        assertTrue(preview.out().contains("[release/summary] main at "), preview::toString);
        assertTrue(preview.out().contains("minor → v1.1.0"), preview::toString);
        String changelog = Files.readString(repo.resolve("CHANGELOG.md"));
        assertTrue(changelog.startsWith("## v1.1.0\n\n### Features\n\n- **orders:** export to CSV ("), changelog);
        assertTrue(changelog.contains("### Fixes\n\n- **cart:** round the total ("), changelog);

        CliRun release = CliRun.of("run", file, "--state", state, "--event", "manual", "--input", "push=true");
        assertEquals(Exit.OK, release.code(), release::toString);
        assertEquals("v1.1.0", GitFixture.run(tmp.resolve("remote.git"), "tag"));

        CliRun onTag = CliRun.of("plan", file);
        assertTrue(onTag.out().contains("no trigger matches a push of tag `v1.1.0`"), onTag::toString);

        GitFixture.at(repo).git("commit", "-q", "--allow-empty", "-m", "fix: after the release");
        CliRun next = CliRun.of("run", file, "--state", state);
        assertEquals(Exit.OK, next.code(), next::toString);
        assertTrue(next.out().contains("[build/cache] cache hit for deps-"), next::toString);
        assertTrue(next.out().contains("patch → v1.1.1"), next::toString);
        assertTrue(next.out().contains("skipped      docs"), next::toString);
    }
}
