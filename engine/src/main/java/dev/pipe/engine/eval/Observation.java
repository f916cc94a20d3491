package dev.pipe.engine.eval;

/**
 * A name (or function call) an expression read while it was evaluated, and what it found; plans
 * quote these to say why a condition came out as it did ("event = push, git.tag is unset").
 */
public record Observation(String text, Result result) {
    public String describe() {
        return switch (result) {
            case Result.Known k -> text + " = " + shown(k.value());
            case Result.Absent a -> text + " is unset";
            case Result.Unknown u -> text + " is not known yet";
        };
    }

    private static String shown(Value v) {
        if (v instanceof Value.Str s && (s.value().isEmpty() || s.value().chars().anyMatch(Character::isWhitespace))) {
            return ExprText.quote(s.value());
        }
        if (v instanceof Value.ListOf l) {
            return l.items().stream().map(Observation::shown)
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return v.display();
    }
}
