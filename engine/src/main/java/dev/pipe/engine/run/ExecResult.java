package dev.pipe.engine.run;

import java.time.Duration;

/** How a command ended. At most one of {@code timedOut} and {@code cancelled} is true. */
public record ExecResult(int exitCode, boolean timedOut, boolean cancelled, Duration duration) {
    public boolean succeeded() {
        return exitCode == 0 && !timedOut && !cancelled;
    }
}
