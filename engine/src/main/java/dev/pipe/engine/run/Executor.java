package dev.pipe.engine.run;

/**
 * Runs commands somewhere: local processes, or a container (the Docker runner). The engine
 * decides what runs and when; an executor only runs one command and reports how it ended.
 */
public interface Executor {
    /**
     * Runs {@code command} to completion, streaming its output to {@code sink}. On timeout or
     * cancellation the executor stops the command and everything it started (SIGTERM, then
     * SIGKILL after a grace period) before returning.
     */
    ExecResult exec(ShellCommand command, OutputSink sink, Cancellation cancel) throws InterruptedException;
}
