package dev.pipe.engine.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into a JSON document, as written in {@code json "PATH" == VALUE}: names separated by
 * dots ({@code status}, {@code services.database}), array indexes in brackets
 * ({@code items[0].id}), an optional leading {@code $} ({@code $.a.b}, and {@code $} alone for
 * the whole document), and bracketed quoted names for keys that hold dots or brackets
 * ({@code labels["app.kubernetes.io/name"]}). A name of digits also indexes an array
 * ({@code items.0.id}).
 */
public final class JsonPath {
    private sealed interface Part {
    }

    private record Name(String name) implements Part {
    }

    private record Index(int index) implements Part {
    }

    private final String text;
    private final List<Part> parts;

    private JsonPath(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * Reads a path.
     *
     * @throws IllegalArgumentException with a one-line message when {@code text} is not a path
     */
    public static JsonPath parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        if (n == 0) {
            throw bad(text, "it is empty; write a key such as \"status\" or \"services.database\"");
        }
        boolean first = true;
        if (text.charAt(0) == '$') {
            i = 1;
            first = false;
        }
        while (i < n) {
            char c = text.charAt(i);
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (i + 1 < n && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\'')) {
                    char quote = text.charAt(i + 1);
                    int end = text.indexOf(quote, i + 2);
                    if (end < 0 || end + 1 >= n || text.charAt(end + 1) != ']') {
                        throw bad(text, "a quoted name in brackets is not closed, such as [\"a.b\"]");
                    }
                    parts.add(new Name(text.substring(i + 2, end)));
                    i = end + 2;
                } else {
                    if (close < 0) {
                        throw bad(text, "a [ is not closed");
                    }
                    String digits = text.substring(i + 1, close);
                    if (!digits.matches("[0-9]{1,9}")) {
                        throw bad(text, "[" + digits + "] is not an array index such as [0]");
                    }
                    parts.add(new Index(Integer.parseInt(digits)));
                    i = close + 1;
                }
            } else {
                if (!first) {
                    if (c != '.') {
                        throw bad(text, "expected . or [ at \"" + text.substring(i) + "\"");
                    }
                    i++;
                }
                int start = i;
                while (i < n && text.charAt(i) != '.' && text.charAt(i) != '[' && text.charAt(i) != ']') {
                    i++;
                }
                if (i == start) {
                    throw bad(text, "a key between dots is empty");
                }
                parts.add(new Name(text.substring(start, i)));
            }
            first = false;
        }
        return new JsonPath(text, parts);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("the json path \"" + text + "\" is not valid: " + why);
    }

    /** The value at this path in {@code root}, or null when there is none (a JSON null is a NullNode). */
    public JsonNode find(JsonNode root) {
        JsonNode node = root;
        for (Part part : parts) {
            if (node == null) {
                return null;
            }
            node = step(node, part);
        }
        return node;
    }

    private static JsonNode step(JsonNode node, Part part) {
        return switch (part) {
            case Name(String name) when node.isArray() && name.matches("[0-9]{1,9}") -> node.get(Integer.parseInt(name));
            case Name(String name) -> node.isObject() ? node.get(name) : null;
            case Index(int index) -> node.isArray() ? node.get(index) : null;
        };
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonPath p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
