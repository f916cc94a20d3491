package dev.pipe.engine.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipe.engine.eval.Value;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * {@code json "PATH" == VALUE}: the JSON body's value at the path must equal the expected value,
 * compared as JSON. Types must match ({@code "1"} is not {@code 1}); numbers compare by value
 * ({@code 1} equals {@code 1.0}); arrays and objects compare element by element, object keys in
 * any order.
 */
public record JsonAssertion(JsonPath path, JsonNode expected) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonAssertion {
        Objects.requireNonNull(path, "path");
        expected = expected == null ? JsonNodeFactory.instance.nullNode() : expected;
    }

    /**
     * @param expected a String, a Number, a Boolean, null, or lists and maps of those
     * @throws IllegalArgumentException when the path is not valid
     */
    public static JsonAssertion of(String path, Object expected) {
        return new JsonAssertion(JsonPath.parse(path), JSON.valueToTree(expected));
    }

    /**
     * From an evaluated pipe value: strings, numbers, bools and lists of them.
     *
     * @throws IllegalArgumentException when the path is not valid or the value has no JSON form
     *     (a duration, a secret)
     */
    public static JsonAssertion of(String path, Value expected) {
        return new JsonAssertion(JsonPath.parse(path), toJson(path, expected));
    }

    private static JsonNode toJson(String path, Value v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (v) {
            case Value.Str s -> f.textNode(s.value());
            case Value.Num n -> f.numberNode(n.value());
            case Value.Bool b -> f.booleanNode(b.value());
            case Value.ListOf l -> {
                var array = f.arrayNode();
                l.items().forEach(item -> array.add(toJson(path, item)));
                yield array;
            }
            default -> throw new IllegalArgumentException("json \"" + path + "\" == ...: " + v.typeName()
                    + " cannot be compared with JSON; write a string, a number or a bool");
        };
    }

    /** Checks the document: null when it holds, else one sentence saying what was found. */
    public String check(JsonNode document) {
        JsonNode actual = path.find(document);
        if (actual == null) {
            return "json " + path + " is missing, expected " + show(expected);
        }
        if (same(actual, expected)) {
            return null;
        }
        return "json " + path + " is " + show(actual) + ", expected " + show(expected);
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !same(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.getNodeType() == b.getNodeType() && a.equals(b);
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isBigDecimal() || n.isFloatingPointNumber() ? n.decimalValue() : new BigDecimal(n.bigIntegerValue());
    }

    /** The value as JSON text, cut short so that a detail stays one line. */
    static String show(JsonNode n) {
        String s = n.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
