package dev.pipe.engine.eval;

/**
 * The outcome of evaluating an expression at plan time: a known value, a value that only the run
 * will know, or no value at all (an unset {@code git.tag}, an input of a run that is not manual).
 */
public sealed interface Result {
    /** How the result shows inside an interpolated string. */
    String display();

    record Known(Value value) implements Result {
        @Override
        public String display() {
            return value.display();
        }
    }

    /**
     * Known only while the run goes on.
     *
     * @param reason a sentence such as "steps.build.digest is known only when step `build` has run"
     * @param display the text shown in its place, such as {@code ${steps.build.digest}}
     */
    record Unknown(String reason, String display) implements Result {
    }

    /**
     * No value: {@code ??} replaces it, a condition reads it as false, it equals and matches
     * nothing, and a string shows it as nothing.
     *
     * @param reason a sentence such as "git.tag is unset"
     */
    record Absent(String reason) implements Result {
        @Override
        public String display() {
            return "";
        }
    }

    static Result of(Value v) {
        return new Known(v);
    }

    static Result of(String s) {
        return new Known(new Value.Str(s));
    }

    static Result of(boolean b) {
        return new Known(Value.Bool.of(b));
    }
}
