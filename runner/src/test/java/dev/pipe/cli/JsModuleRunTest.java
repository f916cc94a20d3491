package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JavaScript step modules through `pipe check` and `pipe run`, end to end. */
class JsModuleRunTest {
    static final String SECRET = "js-S3cret/value+42";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private CliRun pipe(String... args) {
        return CliRun.of(Map.of("PIPE_SECRET_TOKEN", SECRET), args);
    }

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

    private static final String MODULE = """
            export const steps = {
              bump: {
                params: { version: { type: 'string', positional: true }, part: { type: 'string', default: 'patch' } },
                outputs: ['version'],
                run(step) {
                  const [a, b, c] = step.inputs.version.split('.').map(Number);
                  step.outputs.version = step.inputs.part === 'minor' ? `${a}.${b + 1}.0` : `${a}.${b}.${c + 1}`;
                },
              },
              announce: {
                params: { version: 'string', token: 'string', url: { type: 'string', default: '' } },
                outputs: ['status', 'echoed'],
                run(step) {
                  step.log('announcing', step.inputs.version, 'with', step.inputs.token);
                  console.log('env token:', step.env.TOKEN, 'stage:', step.env.PIPE_STAGE);
                  step.outputs.echoed = step.exec('echo ran on the runner in $PWD with $GREETING').stdout.trim();
                  step.outputs.status = step.inputs.url ? step.http({ url: step.inputs.url, method: 'POST',
                      body: { text: `Released ${step.inputs.version}` } }).status : 0;
                },
              },
              broken: {
                run(step) {
                  step.log('about to fail');
                  return helper(step.inputs);
                },
              },
            };

            function helper(inputs) {
              return inputs.missing.field;
            }
            """;

    @Test
    void aModuleStepRunsWithItsApiAndSecretsStayMasked() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            write("steps/release.js", MODULE);
            Path file = write("ci.pipe", """
                    pipeline ci
                    import "./steps/release.js" as release allow exec
                    on push
                    secrets [TOKEN]
                    stage version {
                      env { GREETING = "hello" }
                      step "next" { release.bump "1.4.2" part: "minor" }
                      step "announce" {
                        release.announce version: steps.next.version token: secrets.TOKEN url: "%s"
                      }
                      step "show" { sh "echo next is ${steps.next.version}, ${steps.announce.echoed}" }
                      output version = steps.next.version
                    }
                    """.formatted("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
            CliRun check = pipe("check", file.toString());
            assertEquals(Exit.OK, check.code(), check::toString);
            CliRun r = pipe("run", file.toString(), "--state", dir.resolve(".pipe").toString());
            assertEquals(Exit.OK, r.code(), r::toString);
            assertTrue(r.out().contains("[version/announce] announcing 1.5.0 with ***"), r::toString);
            assertTrue(r.out().contains("[version/announce] env token: *** stage: version"), r::toString);
            assertTrue(r.out().contains("[version/announce] ran on the runner in " + dir + " with hello"), r::toString);
            assertTrue(r.out().contains("[version/show] next is 1.5.0, ran on the runner in " + dir + " with hello"), r::toString);
            assertEquals(List.of("{\"text\":\"Released 1.5.0\"}"), bodies);
            assertFalse(everything(r).contains(SECRET), "the secret leaked:\n" + r);
            RunState state = RunStore.forRepository(dir).list().get(0).state();
            assertEquals(Map.of("version", "1.5.0"), state.stage("version").orElseThrow().outputs());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutAllowExecTheModuleCannotRunCommands() throws IOException {
        write("steps/release.js", MODULE);
        Path file = write("ci.pipe", """
                pipeline ci
                import "./steps/release.js" as release
                on push
                secrets [TOKEN]
                stage version {
                  step "announce" { release.announce version: "1.0.0" token: secrets.TOKEN }
                }
                """);
        CliRun r = pipe("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        assertTrue(r.out().contains("`release.announce` may not run commands: the pipeline imports its module without `allow exec`"),
                r::toString);
    }

    @Test
    void aJavaScriptErrorFailsTheStepWithTheModulesLines() throws IOException {
        Path module = write("steps/release.js", MODULE);
        Path file = write("ci.pipe", """
                pipeline ci
                import "./steps/release.js" as release
                on push
                stage version {
                  step "broken" { release.broken }
                }
                """);
        CliRun r = pipe("run", file.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        String shown = module.toString();
        // helper() is on line 30 of the module, its caller on line 24.
        assertTrue(r.out().contains("[version/broken] about to fail"), r::toString);
        assertTrue(r.out().contains("at helper (" + shown + ":30:10)"), r::toString);
        assertTrue(r.out().contains("at run (" + shown + ":24:14)"), r::toString);
        assertTrue(r.out().contains("TypeError: Cannot read property 'field' of undefined (at " + shown + ":30:10)"), r::toString);
    }

    @Test
    void checkReportsBadCallsAtTheirPlace() throws IOException {
        write("steps/release.js", MODULE);
        Path file = write("ci.pipe", """
                pipeline ci
                import "./steps/release.js" as release
                on push
                stage version {
                  step "next" { release.bump 1.4 part: "minor" }
                  step "announce" { release.announce version: steps.next.version }
                  step "other" { release.bumpp "1.0.0" }
                }
                """);
        CliRun r = pipe("check", file.toString());
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        String all = r.out() + r.err();
        assertTrue(all.contains(file + ":5:30: error[E304]: argument `version` of step `release.bump` must be a string, not a number"),
                r::toString);
        assertTrue(all.contains(file + ":6:21: error[E303]: step `release.announce` needs argument `token`"), r::toString);
        assertTrue(all.contains(file + ":7:18: error[E301]: `release.bumpp` is not a step pipe knows"), r::toString);
        assertTrue(all.contains("did you mean `release.bump`?"), r::toString);
    }
}
