package dev.pipe.engine.eval;

import java.util.List;
import java.util.stream.Collectors;

/** A result together with what the expression read on the way, in reading order, each name once. */
public record Explained(Result result, List<Observation> seen) {
    public Explained {
        seen = List.copyOf(seen);
    }

    /** "event = push, git.tag is unset" */
    public String describeSeen() {
        return seen.stream().map(Observation::describe).collect(Collectors.joining(", "));
    }

    /** The names read whose value only the run will know, such as {@code stages.image.digest}. */
    public List<String> unknowns() {
        return seen.stream().filter(o -> o.result() instanceof Result.Unknown).map(Observation::text).toList();
    }

    /** The names read that had no value. */
    public List<String> absents() {
        return seen.stream().filter(o -> o.result() instanceof Result.Absent).map(Observation::text).toList();
    }
}
