package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanJsonTest {
    private static final String PIPELINE = """
            pipeline t
            on push
            environment p { approval { approvers ["a", "b"] } window "Mon-Fri 09:00-17:00" }
            stage test { matrix { node ["18", "20"] } step "u" { sh "npm test" } }
            stage deploy { needs [test] deploy to p version "1.0" step "d" { sh "deploy ${version}" } }
            """;

    private final Plan plan = plan(PIPELINE, Plans.push("main"));

    @Test
    void yamlSaysWhatJsonSays() throws Exception {
        JsonNode json = new ObjectMapper().readTree(PlanJson.json(plan));
        JsonNode yaml = new YAMLMapper().readTree(PlanJson.yaml(plan));
        assertEquals(json, yaml);
        assertEquals("18", yaml.at("/stages/0/matrix/node").asText());
        assertTrue(yaml.at("/stages/0/matrix/node").isTextual(), "a number-like string stays a string in YAML");
    }

    @Test
    void fieldsComeInDeclaredOrderWithoutNulls() throws Exception {
        String json = PlanJson.json(plan);
        assertFalse(json.contains("null"), json);
        assertTrue(json.endsWith("}\n"));
        JsonNode tree = new ObjectMapper().readTree(json);
        List<String> top = new ArrayList<>();
        tree.fieldNames().forEachRemaining(top::add);
        assertEquals(List.of("schema", "pipeline", "event", "trigger", "digest", "stages"), top);
        List<String> stage = new ArrayList<>();
        tree.at("/stages/2").fieldNames().forEachRemaining(stage::add);
        assertEquals(List.of("name", "stage", "group", "status", "reasons", "needs", "runner", "deploy", "gates", "steps"),
                stage);
        assertEquals("wait", tree.at("/stages/2/status").asText());
        assertEquals("approval", tree.at("/stages/2/gates/1/kind").asText());
        assertTrue(tree.at("/stages/2/gates/0/window/open").isBoolean());
    }

    @Test
    void renderingIsStable() {
        Plan again = plan(PIPELINE, Plans.push("main"));
        assertEquals(PlanJson.json(plan), PlanJson.json(again));
        assertEquals(PlanJson.yaml(plan), PlanJson.yaml(again));
        assertEquals(PlanText.render(plan, true), PlanText.render(again, true));
    }

    @Test
    void colourIsOnlyAddedWhenAsked() {
        assertFalse(PlanText.render(plan, false).contains("\u001b["));
        String coloured = PlanText.render(plan, true);
        assertTrue(coloured.contains("\u001b[33mwait\u001b[0m"), coloured);
        assertEquals(PlanText.render(plan, false), coloured.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void textLinesFitInAHundredColumnsExceptCommands() {
        for (String line : PlanText.render(plan(PIPELINE.replace("npm test", "npm test " + "--flag ".repeat(30)),
                Plans.push("main")), false).lines().toList()) {
            assertTrue(line.length() <= PlanText.WIDTH || line.trim().startsWith("$ "), line);
        }
    }

    /** The example in docs/plan-schema.md is the golden case approval.plan.json, so the docs cannot go stale. */
    @Test
    void theSchemaDocumentsARealPlan() throws Exception {
        String doc = Files.readString(Path.of("../docs/plan-schema.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```json\n") + "```json\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        assertEquals(Files.readString(Path.of("src/test/resources/golden/plan-json/approval.plan.json"),
                StandardCharsets.UTF_8), example);
    }
}
