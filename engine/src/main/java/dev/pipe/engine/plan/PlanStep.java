package dev.pipe.engine.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A step as it would be called.
 *
 * @param name the step's name, or null for a bare call in a block
 * @param call the step function, such as {@code sh} or {@code docker.build}
 * @param command for {@code sh}: the command line, fully interpolated; null for other functions
 * @param args the other arguments, values interpolated; a positional argument has a null name
 * @param retry retries as written, or null
 * @param backoff as written, or null
 * @param timeout as written, or null
 * @param env the step's environment variables, values interpolated
 * @param when the step's condition as source text, or null
 * @param whenValue what the condition is at plan time: true, false, or null when the run decides
 * @param whenReason with a condition, a sentence saying what it is and what it read ("when
 *     `git.branch == "main"` is false: git.branch = develop")
 */
public record PlanStep(
        String name,
        String call,
        String command,
        List<Arg> args,
        Integer retry,
        String backoff,
        String timeout,
        Map<String, String> env,
        String when,
        Boolean whenValue,
        String whenReason,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowFailure) {

    public PlanStep {
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }

    /** An argument; {@code name} is null for the positional one. */
    public record Arg(String name, String value) {
    }
}
