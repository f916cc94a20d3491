package dev.pipe.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.eval.Value;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonAssertionTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String DOC = """
            {"status": "healthy", "uptime": 12.50, "count": 3, "ready": true, "gone": null,
             "services": {"database": "connected", "cache": {"hits": 10}},
             "items": [{"id": "a1"}, {"id": "b2"}],
             "labels": {"app.kubernetes.io/name": "shop"}}
            """;

    private static String check(String path, Object expected) throws Exception {
        JsonNode doc = JSON.readTree(DOC);
        return JsonAssertion.of(path, expected).check(doc);
    }

    @Test
    void pathsReachNestedValuesAndArrayItems() throws Exception {
        assertNull(check("status", "healthy"));
        assertNull(check("services.database", "connected"));
        assertNull(check("$.services.cache.hits", 10));
        assertNull(check("items[1].id", "b2"));
        assertNull(check("$.items[0].id", "a1"));
        assertNull(check("items.0.id", "a1"));
        assertNull(check("labels[\"app.kubernetes.io/name\"]", "shop"));
        assertNull(check("$['labels']['app.kubernetes.io/name']", "shop"));
        assertNull(check("items", List.of(java.util.Map.of("id", "a1"), java.util.Map.of("id", "b2"))));
    }

    @Test
    void numbersCompareByValueAndTypesMustMatch() throws Exception {
        assertNull(check("count", 3));
        assertNull(check("count", new BigDecimal("3.0")));
        assertNull(check("uptime", 12.5));
        assertNull(check("ready", true));
        assertNull(check("gone", null));
        assertEquals("json count is 3, expected \"3\"", check("count", "3"));
        assertEquals("json ready is true, expected \"true\"", check("ready", "true"));
        assertEquals("json gone is null, expected \"x\"", check("gone", "x"));
        assertEquals("json status is \"healthy\", expected \"degraded\"", check("status", "degraded"));
    }

    @Test
    void aMissingValueIsSaidSo() throws Exception {
        assertEquals("json services.queue is missing, expected \"ok\"", check("services.queue", "ok"));
        assertEquals("json items[5].id is missing, expected \"x\"", check("items[5].id", "x"));
        assertEquals("json status.code is missing, expected 1", check("status.code", 1));
    }

    @Test
    void pipeValuesBecomeJson() throws Exception {
        JsonNode doc = JSON.readTree(DOC);
        assertNull(JsonAssertion.of("count", new Value.Num(new BigDecimal("3"))).check(doc));
        assertNull(JsonAssertion.of("ready", Value.Bool.TRUE).check(doc));
        assertNull(JsonAssertion.of("status", new Value.Str("healthy")).check(doc));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonAssertion.of("uptime", new Value.Dur(Duration.ofSeconds(5))));
        assertEquals("json \"uptime\" == ...: a duration cannot be compared with JSON; write a string, a number or a bool",
                e.getMessage());
    }

    @Test
    void badPathsAreClearErrors() {
        assertEquals("the json path \"\" is not valid: it is empty; write a key such as \"status\" or \"services.database\"",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("")).getMessage());
        assertEquals("the json path \"a..b\" is not valid: a key between dots is empty",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("a..b")).getMessage());
        assertEquals("the json path \"items[x]\" is not valid: [x] is not an array index such as [0]",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("items[x]")).getMessage());
        assertEquals("the json path \"items[0\" is not valid: a [ is not closed",
                assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("items[0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("a[\"b]"));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("a]"));
    }

    @Test
    void dollarAloneIsTheWholeDocument() throws Exception {
        assertNull(JsonAssertion.of("$", "ok").check(JSON.readTree("\"ok\"")));
    }
}
