package dev.pipe.engine.eval;

import dev.pipe.lang.time.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** A value known at plan time. */
public sealed interface Value {
    /** The value as it appears inside an interpolated string; a secret shows as {@code ***}. */
    String display();

    /** Words for messages, such as {@code "a string"}. */
    String typeName();

    record Str(String value) implements Value {
        @Override
        public String display() {
            return value;
        }

        @Override
        public String typeName() {
            return "a string";
        }
    }

    record Bool(boolean value) implements Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public static Bool of(boolean b) {
            return b ? TRUE : FALSE;
        }

        @Override
        public String display() {
            return Boolean.toString(value);
        }

        @Override
        public String typeName() {
            return "a bool";
        }
    }

    record Num(BigDecimal value) implements Value {
        @Override
        public String display() {
            return value.toPlainString();
        }

        @Override
        public String typeName() {
            return "a number";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Num n && n.value.compareTo(value) == 0;
        }

        @Override
        public int hashCode() {
            return value.stripTrailingZeros().hashCode();
        }
    }

    record Dur(Duration value) implements Value {
        @Override
        public String display() {
            return Durations.format(value);
        }

        @Override
        public String typeName() {
            return "a duration";
        }
    }

    /** A list; interpolated as its items separated by spaces, the way a shell reads words. */
    record ListOf(List<Value> items) implements Value {
        public ListOf {
            items = List.copyOf(items);
        }

        @Override
        public String display() {
            return items.stream().map(Value::display).collect(Collectors.joining(" "));
        }

        @Override
        public String typeName() {
            return "a list";
        }
    }

    /**
     * A value that holds secrets: {@code secrets.TOKEN} itself, or a string that interpolates one.
     * The planner has no secret values, only names; {@code shown} has {@code ***} where each secret
     * would be. A run knows the values: {@code revealed} is then the real text, for the command
     * that runs and never for anything shown ({@link #display()}, {@link #toString()}).
     *
     * @param revealed the real text, or null when some secret's value is not known
     */
    record Secret(List<String> names, String shown, String revealed) implements Value {
        public Secret {
            names = List.copyOf(names);
        }

        public Secret(List<String> names, String shown) {
            this(names, shown, null);
        }

        public static Secret named(String name) {
            return new Secret(List.of(name), "***");
        }

        /** A secret whose value a run knows. */
        public static Secret revealed(String name, String value) {
            return new Secret(List.of(name), "***", value);
        }

        @Override
        public String display() {
            return shown;
        }

        @Override
        public String typeName() {
            return "a secret";
        }

        @Override
        public String toString() {
            return "Secret[names=" + names + ", shown=" + shown + "]";
        }
    }
}
