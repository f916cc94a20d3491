package dev.pipe.cli;

import java.util.Map;

/** Decides about colour: only on a terminal, never with NO_COLOR, and as the user forces it. */
public record Terminal(boolean tty, boolean color) {
    /** @param choice "auto", "always" or "never" */
    public static Terminal detect(Map<String, String> env, String choice) {
        boolean tty = "1".equals(env.get("PIPE_TTY"));
        boolean noColor = env.containsKey("NO_COLOR") && !env.get("NO_COLOR").isEmpty();
        boolean color = switch (choice) {
            case "always" -> true;
            case "never" -> false;
            default -> tty && !noColor && !"dumb".equals(env.get("TERM"));
        };
        return new Terminal(tty, color);
    }
}
