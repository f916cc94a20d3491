package dev.pipe.lang.check;

/** The types of expressions. {@code ANY} is given to values only known at run time (such as a shell step's outputs). */
public enum Type {
    STRING, BOOL, NUMBER, DURATION, LIST, ANY;

    /** Words for messages: "a string", "a list". */
    public String article() {
        return switch (this) {
            case STRING -> "a string";
            case BOOL -> "a bool";
            case NUMBER -> "a number";
            case DURATION -> "a duration";
            case LIST -> "a list";
            case ANY -> "any value";
        };
    }

    /** The type of a value declared with {@code kind}, as an input or a template parameter. */
    public static Type of(dev.pipe.lang.syntax.Trigger.InputKind kind) {
        return switch (kind) {
            case STRING, CHOICE -> STRING;
            case BOOL -> BOOL;
            case NUMBER -> NUMBER;
            case DURATION -> DURATION;
            case LIST -> LIST;
        };
    }

    public boolean accepts(Type other) {
        return this == ANY || other == ANY || this == other;
    }
}
