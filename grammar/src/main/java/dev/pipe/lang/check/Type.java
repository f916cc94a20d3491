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

    public boolean accepts(Type other) {
        return this == ANY || other == ANY || this == other;
    }
}
