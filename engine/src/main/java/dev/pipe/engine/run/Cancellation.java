package dev.pipe.engine.run;

import java.util.ArrayList;
import java.util.List;

/** A run's cancel switch: flipped once (Ctrl-C, SIGTERM, fail-fast), observed by everything running. */
public final class Cancellation {
    private final List<Runnable> listeners = new ArrayList<>();
    private String reason;

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    public synchronized String reason() {
        return reason;
    }

    /** Cancels once; later calls are ignored. Listeners run on the caller's thread. */
    public void cancel(String why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            toRun = List.copyOf(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }

    /** Runs {@code action} on cancel, or at once when already cancelled. Returns a handle that unregisters it. */
    public Runnable onCancel(Runnable action) {
        synchronized (this) {
            if (reason == null) {
                listeners.add(action);
                return () -> {
                    synchronized (this) {
                        listeners.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> {
        };
    }
}
