package dev.pipe.stdlib.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wait, artifact.save and artifact.restore, and cache, on real folders. */
class FileStepsTest {
    @TempDir
    Path tmp;

    private final StringBuilder log = new StringBuilder();
    private final OutputSink sink = (stream, chunk) -> log.append(chunk);
    private final List<StepFunction.Deferred> deferred = new ArrayList<>();

    private StepFunction.Result call(StepFunction fn, String positional, Map<String, String> named,
            Map<String, List<String>> lists, Path workdir) throws InterruptedException {
        return fn.run(Calls.args(positional, named, lists, workdir, deferred), sink, new Cancellation(), null);
    }

    @Test
    void waitWaitsAndACancelEndsIt() throws Exception {
        Wait wait = new Wait();
        assertNull(wait.run(Calls.args("10ms", Map.of(), Map.of()), sink, new Cancellation(), null).failure());
        assertEquals("`soon` is not a duration such as 30s or 5m",
                wait.run(Calls.args("soon", Map.of(), Map.of()), sink, new Cancellation(), null).failure());

        Cancellation cancel = new Cancellation();
        cancel.cancel("stop");
        StepFunction.Result r = wait.run(Calls.args("1h", Map.of(), Map.of()), sink, cancel, null);
        assertEquals("cancelled: stop", r.failure());

        StepFunction.Result cut = wait.run(Calls.args("1h", Map.of(), Map.of()), sink, new Cancellation(), Duration.ofMillis(20));
        assertTrue(cut.timedOut(), cut::toString);
    }

    @Test
    void anArtifactGoesFromOneStageFolderToAnother() throws Exception {
        RunPlace place = new RunPlace(tmp.resolve("state"), "run-1");
        Path build = Files.createDirectories(tmp.resolve("build"));
        Files.createDirectories(build.resolve("dist/sub"));
        Files.writeString(build.resolve("dist/app.sh"), "echo hi");
        Files.setPosixFilePermissions(build.resolve("dist/app.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(build.resolve("dist/sub/data.txt"), "data");
        Files.writeString(build.resolve("report.txt"), "report");

        assertNull(call(new ArtifactSave(place), "dist", Map.of("path", "dist"), Map.of(), build).failure(), log::toString);
        assertNull(call(new ArtifactSave(place), "report", Map.of("path", "report.txt"), Map.of(), build).failure());
        assertTrue(Files.isDirectory(tmp.resolve("state/artifacts/run-1/dist")));

        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        assertNull(call(new ArtifactRestore(place), "dist", Map.of(), Map.of(), deploy).failure(), log::toString);
        assertEquals("data", Files.readString(deploy.resolve("dist/sub/data.txt")));
        assertTrue(Files.isExecutable(deploy.resolve("dist/app.sh")), "permissions are kept");
        assertNull(call(new ArtifactRestore(place), "report", Map.of("path", "out/r.txt"), Map.of(), deploy).failure());
        assertEquals("report", Files.readString(deploy.resolve("out/r.txt")));

        // Saving again replaces the artifact.
        Files.writeString(build.resolve("report.txt"), "second");
        assertNull(call(new ArtifactSave(place), "report", Map.of("path", "report.txt"), Map.of(), build).failure());
        assertNull(call(new ArtifactRestore(place), "report", Map.of(), Map.of(), deploy).failure());
        assertEquals("second", Files.readString(deploy.resolve("report.txt")));
    }

    @Test
    void artifactMistakesAreOneSentence() throws Exception {
        RunPlace place = new RunPlace(tmp.resolve("state"), "run-1");
        Path dir = Files.createDirectories(tmp.resolve("w"));
        assertEquals("no artifact dist was saved in run run-1; save it with artifact.save in a stage this one needs",
                call(new ArtifactRestore(place), "dist", Map.of(), Map.of(), dir).failure());
        assertEquals("missing does not exist in " + dir + "; did an earlier step make it?",
                call(new ArtifactSave(place), "dist", Map.of("path", "missing"), Map.of(), dir).failure());
        assertEquals("path: `../x` is not inside the step's folder",
                call(new ArtifactSave(place), "dist", Map.of("path", "../x"), Map.of(), dir).failure());
        assertEquals("path: `/etc/passwd` is absolute; name it relative to the step's folder",
                call(new ArtifactSave(place), "dist", Map.of("path", "/etc/passwd"), Map.of(), dir).failure());
        assertTrue(call(new ArtifactSave(place), "../up", Map.of("path", "x"), Map.of(), dir).failure()
                .startsWith("the artifact's name `../up` may hold only"));
        assertEquals("artifacts need a run: its state folder and id",
                call(new ArtifactSave(null), "dist", Map.of("path", "x"), Map.of(), dir).failure());
    }

    @Test
    void aCacheMissSavesAfterTheStepsAndTheNextRunHits() throws Exception {
        RunPlace first = new RunPlace(tmp.resolve("state"), "run-1");
        Path w1 = Files.createDirectories(tmp.resolve("w1"));
        Files.writeString(w1.resolve("package-lock.json"), "{\"lock\": 1}");
        Map<String, String> named = Map.of("key", "npm-main");
        Map<String, List<String>> lists = Map.of("paths", List.of("node_modules"), "files", List.of("package-lock.json"));

        StepFunction.Result miss = call(new Cache(first), null, named, lists, w1);
        assertEquals("false", miss.outputs().get("hit"));
        String key = miss.outputs().get("key");
        assertTrue(key.matches("npm-main-[0-9a-f]{16}"), key);
        assertEquals(1, deferred.size());
        // The steps make node_modules; then the stage's deferred work saves it.
        Files.createDirectories(w1.resolve("node_modules/left-pad"));
        Files.writeString(w1.resolve("node_modules/left-pad/index.js"), "pad");
        assertNull(deferred.remove(0).run(sink, new Cancellation()).failure());
        assertTrue(log.toString().contains("saved cache " + key + " (1 file)"), log::toString);

        RunPlace second = new RunPlace(tmp.resolve("state"), "run-2");
        Path w2 = Files.createDirectories(tmp.resolve("w2"));
        Files.writeString(w2.resolve("package-lock.json"), "{\"lock\": 1}");
        StepFunction.Result hit = call(new Cache(second), null, named, lists, w2);
        assertEquals("true", hit.outputs().get("hit"));
        assertEquals(key, hit.outputs().get("key"));
        assertTrue(deferred.isEmpty(), "a hit saves nothing");
        assertEquals("pad", Files.readString(w2.resolve("node_modules/left-pad/index.js")));

        // Another lock file is another key.
        Files.writeString(w2.resolve("package-lock.json"), "{\"lock\": 2}");
        StepFunction.Result changed = call(new Cache(second), null, named, lists, w2);
        assertEquals("false", changed.outputs().get("hit"));
        assertFalse(key.equals(changed.outputs().get("key")));
    }

    @Test
    void aCacheEntryIsNeverReplacedAndGlobsMustMatch() throws Exception {
        RunPlace place = new RunPlace(tmp.resolve("state"), "run-1");
        Path w = Files.createDirectories(tmp.resolve("w"));
        Files.createDirectories(w.resolve("deps"));
        Files.writeString(w.resolve("deps/a"), "first");
        Map<String, List<String>> lists = Map.of("paths", List.of("deps"));
        Cache cache = new Cache(place);
        call(cache, null, Map.of("key", "k"), lists, w);
        call(cache, null, Map.of("key", "k"), lists, w);
        assertEquals(2, deferred.size(), "two misses before either saved");
        assertNull(deferred.get(0).run(sink, new Cancellation()).failure());
        Files.writeString(w.resolve("deps/a"), "second");
        assertNull(deferred.get(1).run(sink, new Cancellation()).failure());
        assertTrue(log.toString().contains("was saved meanwhile by another run; kept that one"), log::toString);
        Files.delete(w.resolve("deps/a"));
        assertEquals("true", call(cache, null, Map.of("key", "k"), lists, w).outputs().get("hit"));
        assertEquals("first", Files.readString(w.resolve("deps/a")));

        Files.createDirectories(w.resolve("a/b"));
        Files.writeString(w.resolve("a/b/x.lock"), "1");
        assertNull(call(cache, null, Map.of("key", "g"), Map.of("paths", List.of("deps"), "files", List.of("**/*.lock")), w)
                .failure());
        assertEquals("files: nothing in " + w + " matches `*.txt`",
                call(cache, null, Map.of("key", "g"), Map.of("paths", List.of("deps"), "files", List.of("*.txt")), w).failure());
        assertEquals("paths: `../out` is not inside the step's folder",
                call(cache, null, Map.of("key", "g"), Map.of("paths", List.of("../out")), w).failure());
    }
}
