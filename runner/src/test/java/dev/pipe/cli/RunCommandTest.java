package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pipe run` end to end on real processes, through the command-line seam. */
class RunCommandTest {
    static final String SECRET = "pl4nted-S3cret/value+x";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private CliRun run(String... args) {
        return CliRun.of(Map.of("PIPE_SECRET_TOKEN", SECRET), args);
    }

    /** Every file under .pipe/ and the console, as one text. */
    private String everything(CliRun r) throws IOException {
        StringBuilder sb = new StringBuilder(r.out()).append(r.err());
        try (Stream<Path> files = Files.walk(dir.resolve(".pipe"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("lock")) {
                    sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return sb.toString();
    }

    @Test
    void logsComeInTheOrderTheStepsRan() throws IOException {
        Path file = write("order.pipe", """
                pipeline order
                on push
                stage build {
                  step "zeta" { sh "echo first" }
                  step "alpha" { sh "echo second" }
                }
                on always { sh "echo third" }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        CliRun logs = CliRun.of("logs", "--state", dir.resolve(".pipe").toString());
        assertEquals("[build/zeta] first\n[build/alpha] second\n[on always/sh] third\n", logs.out(), logs::toString);
    }

    @Test
    void aPipelineRunsAndNoSecretLeaksAnywhere() throws IOException {
        Path file = write("ci.pipe", """
                pipeline ci
                on push
                secrets [TOKEN]
                stage build {
                  step "compile" {
                    sh "echo digest=d-42 >> $PIPE_OUTPUT; echo token ${secrets.TOKEN}; printf %s \\"$TOKEN\\" | base64; echo \\"$TOKEN\\" | sed 's|/|%2F|g; s|+|%2B|g'"
                  }
                  output digest = steps.compile.digest
                }
                stage test {
                  needs [build]
                  step "unit" { sh "echo got ${stages.build.digest}; printf '%s' \\"$TOKEN\\" | head -c 7; printf '%s\\\\n' \\"$TOKEN\\" | tail -c +8" }
                }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("[test/unit] got d-42"), r::toString);
        String all = everything(r);
        assertFalse(all.contains(SECRET), "the secret leaked:\n" + r);
        assertFalse(all.contains(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))), r::toString);
        assertFalse(all.contains(URLEncoder.encode(SECRET, StandardCharsets.UTF_8)), r::toString);
        RunState state = RunStore.forRepository(dir).list().get(0).state();
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertEquals(Map.of("digest", "d-42"), state.stage("build").orElseThrow().outputs());

        CliRun logs = CliRun.of("logs", "--state", dir.resolve(".pipe").toString(), "--stage", "test");
        assertEquals("[test/unit] got d-42\n", logs.out().lines().filter(l -> l.contains("got")).findFirst().orElse("") + "\n",
                logs::toString);
        CliRun status = CliRun.of("status", "--state", dir.resolve(".pipe").toString());
        assertTrue(status.out().contains("succeeded unit"), status::toString);
    }

    @Test
    void aStepThatPrintsGetsALogFileAndASilentOneNone() throws IOException {
        Path file = write("logs.pipe", """
                pipeline logs
                on push
                stage build {
                  step "talk" { sh "echo one; echo two" }
                  step "quiet" { sh "true" }
                  step "talk again" { sh "echo three" }
                }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        Path logs = RunStore.forRepository(dir).list().get(0).logs();
        assertEquals("one\ntwo\n", Files.readString(logs.resolve("build/talk.log")));
        assertEquals("three\n", Files.readString(logs.resolve("build/talk%20again.log")));
        assertFalse(Files.exists(logs.resolve("build/quiet.log")), "a silent step has no log");
        try (Stream<Path> temp = Files.list(RunStore.forRepository(dir).list().get(0).dir().resolve("tmp"))) {
            assertEquals(0, temp.count(), "the $PIPE_OUTPUT files are gone");
        }
    }

    @Test
    void aFailureSkipsDependantsRunsFinallyAndExitsOne() throws IOException {
        Path file = write("fail.pipe", """
                pipeline fail
                on push
                stage build {
                  step "compile" { sh "echo broken >&2; exit 3" }
                  finally {
                    sh "touch cleaned-up"
                  }
                }
                stage test {
                  needs [build]
                  step "unit" { sh "touch should-not-exist" }
                }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.out().contains("[build/compile] broken"), r::toString);
        assertTrue(r.out().contains("needs `build`, which failed"), r::toString);
        assertTrue(Files.exists(dir.resolve("cleaned-up")), "finally did not run\n" + r);
        assertFalse(Files.exists(dir.resolve("should-not-exist")), r::toString);
    }

    @Test
    void missingSecretsStopTheRunBeforeAnythingRuns() throws IOException {
        Path file = write("s.pipe", """
                pipeline s
                on push
                secrets [DATABASE_URL]
                stage a {
                  step "x" { sh "touch ran" }
                }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.err().contains("DATABASE_URL"), r::toString);
        assertFalse(Files.exists(dir.resolve("ran")), r::toString);
    }

    @Test
    void dryRunExplainsAndRunsNothing() throws IOException {
        Path file = write("d.pipe", """
                pipeline d
                on push
                stage a {
                  step "x" { sh "touch ran" }
                }
                """);
        CliRun r = run("run", file.toString(), "--dry-run", "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("$ touch ran") && r.out().contains("Dry run: nothing was run."), r::toString);
        assertFalse(Files.exists(dir.resolve("ran")));
        assertFalse(Files.exists(dir.resolve(".pipe")));
    }

    @Test
    void whatCannotRunYetIsRefusedUpFront() throws IOException {
        Path file = write("notyet.pipe", """
                pipeline notyet
                on push
                stage first {
                  step "x" { sh "touch first-ran" }
                }
                stage notes {
                  needs [first]
                  runner local
                  service db "postgres:16" { }
                  step "write" { sh "true" }
                }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.err().contains("cannot run this plan: stage `notes` has services, which only start beside a container"
                + " stage (`runner docker`), not on this machine"), r::toString);
        assertFalse(Files.exists(dir.resolve("first-ran")), "nothing runs");
        assertFalse(Files.exists(dir.resolve(".pipe/runs")) && dir.resolve(".pipe/runs").toFile().list().length > 0);
    }

    @Test
    void unknownRunsAreUsageErrors() {
        CliRun r = CliRun.of("resume", "nope", "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.USAGE, r.code(), r::toString);
        CliRun none = CliRun.of("runs", "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, none.code(), none::toString);
        assertTrue(none.out().contains("No runs yet"), none::toString);
    }

    /** Regression: stages started together must not take each other's start-up for leftover processes. */
    @Test
    void manyParallelStagesAllSucceed() throws IOException {
        StringBuilder text = new StringBuilder("pipeline wide\non push\n");
        for (int i = 0; i < 120; i++) {
            text.append("stage s").append(i).append(" {\n  step \"x\" { sh \"true\" }\n}\n");
        }
        Path file = write("wide.pipe", text.toString());
        CliRun r = run("run", file.toString(), "--parallel", "2", "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertFalse(r.out().contains("left processes running"), r::toString);
    }

    @Test
    void aStepMayNameItsShell() throws IOException {
        Path file = write("shell.pipe", """
                pipeline shell
                on push
                stage a {
                  step "posix" { sh "echo shell=$0" shell: "sh" }
                  step "default" { sh "echo shell=$0" }
                }
                """);
        CliRun r = run("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("[a/posix] shell=") && l.endsWith("sh") && !l.endsWith("bash")),
                r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("[a/default] shell=") && l.endsWith("bash")), r::toString);
    }

    @Test
    void jsonEventsAndAJUnitReport() throws Exception {
        Path file = write("j.pipe", """
                pipeline j
                on push
                secrets [TOKEN]
                stage build {
                  step "ok" { sh "echo fine ${secrets.TOKEN}" }
                  step "bad" { sh "echo 'a <b> & \\"c\\"' >&2; exit 4" }
                }
                stage test {
                  needs [build]
                  step "unit" { sh "true" }
                }
                """);
        Path junit = dir.resolve("report.xml");
        CliRun r = run("run", file.toString(), "--output", "json", "--junit", junit.toString(), "--state",
                dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<String> types = new java.util.ArrayList<>();
        for (String line : r.out().lines().toList()) {
            types.add(mapper.readTree(line).get("type").asText());
        }
        assertEquals("run_started", types.get(0), r::toString);
        assertEquals("run_finished", types.get(types.size() - 1), r::toString);
        assertTrue(r.out().contains("{\"type\":\"output\",\"stage\":\"build\",\"step\":\"ok\",\"stream\":\"stdout\",\"line\":\"fine ***\"}"),
                r::toString);
        assertFalse(r.out().contains(SECRET), r::toString);
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        var suites = doc.getElementsByTagName("testsuite");
        assertEquals(2, suites.getLength(), Files.readString(junit));
        assertEquals("1", ((org.w3c.dom.Element) suites.item(0)).getAttribute("failures"), Files.readString(junit));
        var failure = (org.w3c.dom.Element) doc.getElementsByTagName("failure").item(0);
        assertTrue(failure.getAttribute("message").contains("4"), Files.readString(junit));
    }

    @Test
    void onlyAndFromChooseTheStagesThatRun() throws IOException {
        Path file = write("sel.pipe", """
                pipeline sel
                on push
                stage a {
                  step "x" { sh "touch a-ran" }
                }
                stage b {
                  needs [a]
                  step "x" { sh "touch b-ran" }
                }
                stage c {
                  needs [b]
                  step "x" { sh "touch c-ran" }
                }
                stage image {
                  step "build" { docker.build tag: "x" }
                }
                """);
        String state = dir.resolve(".pipe").toString();
        CliRun only = run("run", file.toString(), "--only", "b", "--state", state);
        assertEquals(Exit.OK, only.code(), only::toString);
        assertTrue(Files.exists(dir.resolve("b-ran")) && !Files.exists(dir.resolve("a-ran"))
                && !Files.exists(dir.resolve("c-ran")), only::toString);
        assertTrue(only.out().contains("not selected by --only"), only::toString);

        CliRun from = run("run", file.toString(), "--from", "b", "--state", state);
        assertEquals(Exit.OK, from.code(), from::toString);
        assertTrue(Files.exists(dir.resolve("c-ran")) && !Files.exists(dir.resolve("a-ran")), from::toString);

        CliRun typo = run("run", file.toString(), "--only", "bb", "--state", state);
        assertEquals(Exit.USAGE, typo.code(), typo::toString);
        assertTrue(typo.err().contains("did you mean `b`?"), typo::toString);

        CliRun all = run("run", file.toString(), "--state", state);
        // Without a Docker engine the plan is refused; with one, the build fails: there is no Dockerfile.
        assertEquals(Exit.ERRORS, all.code(), "the image stage cannot succeed here\n" + all);
    }
}
