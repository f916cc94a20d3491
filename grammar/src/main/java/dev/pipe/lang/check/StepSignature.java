package dev.pipe.lang.check;

import java.util.List;
import java.util.Optional;

/**
 * What the checker knows of a step function: its parameters and outputs.
 *
 * @param name qualified name as called, such as {@code sh} or {@code docker.build}
 * @param params parameters; at most one is positional (may be written without a name)
 * @param outputs output names the step always produces, or null when the step's outputs are
 *     dynamic (a shell step writes whatever it likes to $PIPE_OUTPUT)
 * @param summary one sentence for docs and hints
 */
public record StepSignature(String name, List<Param> params, List<String> outputs, String summary) {
    public StepSignature {
        params = List.copyOf(params);
        outputs = outputs == null ? null : List.copyOf(outputs);
        if (params.stream().filter(Param::positional).count() > 1) {
            throw new IllegalArgumentException(name + " declares more than one positional parameter");
        }
    }

    public Optional<Param> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    public Optional<Param> positional() {
        return params.stream().filter(Param::positional).findFirst();
    }

    /** A parameter of a step function. */
    public record Param(String name, Type type, boolean required, boolean positional, String summary) {
        public static Param positional(String name, Type type, String summary) {
            return new Param(name, type, true, true, summary);
        }

        public static Param required(String name, Type type, String summary) {
            return new Param(name, type, true, false, summary);
        }

        public static Param optional(String name, Type type, String summary) {
            return new Param(name, type, false, false, summary);
        }
    }
}
