package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands with modules: where findings inside templates are reported, and what a module is not. */
class TemplatesCliTest {
    @TempDir
    Path dir;

    private Path write() throws IOException {
        Files.createDirectories(dir.resolve("ci"));
        Files.writeString(dir.resolve("ci/images.pipe"), """
                /// Container images.

                /// Pushes an image to the pipeline's registry.
                template steps publish {
                  /// The image name.
                  param name: string

                  step "push" {
                    sh "docker push ${vars.registry}/${params.name}"
                  }
                }
                """);
        Path pipeline = dir.resolve("shop.pipe");
        Files.writeString(pipeline, """
                pipeline shop

                import "./ci/images.pipe"

                on push

                stage image {
                  use images.publish {
                    name: 3
                  }
                }
                """);
        return pipeline;
    }

    @Test
    void jsonGivesTheModuleOfAFindingInsideATemplate() throws IOException {
        Path pipeline = write();
        CliRun r = CliRun.of("check", pipeline.toString(), "--format", "json");
        assertEquals(Exit.ERRORS, r.code(), r::toString);
        JsonNode diagnostics = new ObjectMapper().readTree(r.out()).get("files").get(0).get("diagnostics");
        assertEquals(2, diagnostics.size(), r::toString);
        JsonNode argument = diagnostics.get(0);
        assertEquals("E535", argument.get("code").asText());
        assertTrue(argument.get("path") == null, "in the file checked: " + argument);
        assertEquals(9, argument.get("line").asInt());
        assertEquals(11, argument.get("column").asInt());
        JsonNode inTemplate = diagnostics.get(1);
        assertEquals("E113", inTemplate.get("code").asText());
        assertEquals(dir.resolve("ci/images.pipe").toString(), inTemplate.get("path").asText());
        assertEquals(9, inTemplate.get("line").asInt());
        assertEquals(28, inTemplate.get("column").asInt());
        assertTrue(inTemplate.get("hints").get(0).asText().contains("used at " + pipeline + ":8:7 by stage `image`"),
                inTemplate::toString);
    }

    @Test
    void aModuleChecksAndFormatsButIsNotPlannedOrRun() throws IOException {
        write();
        Path module = dir.resolve("ci/images.pipe");
        CliRun check = CliRun.of("check", module.toString());
        assertEquals(Exit.OK, check.code(), check::toString);
        assertEquals(Exit.OK, CliRun.of("fmt", "--check", module.toString()).code());
        CliRun plan = CliRun.of("plan", module.toString());
        assertEquals(Exit.USAGE, plan.code(), plan::toString);
        assertTrue(plan.err().contains("is a module (templates, no `pipeline NAME`), so it cannot be planned"), plan::toString);
        CliRun run = CliRun.of("run", module.toString(), "--state", dir.resolve(".pipe").toString());
        assertEquals(Exit.USAGE, run.code(), run::toString);
        CliRun docs = CliRun.of("docs", module.toString());
        assertEquals(Exit.OK, docs.code(), docs::toString);
        assertTrue(docs.out().contains("| `name` | string | required | The image name. |"), docs::toString);
        assertEquals(Exit.USAGE, CliRun.of("docs").code());
        assertEquals(Exit.USAGE, CliRun.of("docs", "--stdlib", module.toString()).code());
    }
}
