package dev.pipe.engine.verify;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.Executor;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;

/**
 * One try of a {@code check "NAME" { sh "..." }}: runs the command through the stage's executor
 * and passes when it exits 0. The command's own timeout ({@code timeout} of the check) and the
 * cancel are the executor's to enforce.
 *
 * <p>The output of every try goes to the same sink, which the probe never closes: the caller
 * closes it when verify is over.
 */
public final class CommandProbe implements Probe {
    private final Executor executor;
    private final ShellCommand command;
    private final OutputSink sink;

    public CommandProbe(Executor executor, ShellCommand command, OutputSink sink) {
        this.executor = executor;
        this.command = command;
        this.sink = sink;
    }

    @Override
    public ProbeResult attempt(Cancellation cancel) throws InterruptedException {
        ExecResult r = executor.exec(command, sink, cancel);
        if (r.succeeded()) {
            return ProbeResult.pass("exited with code 0");
        }
        if (r.timedOut()) {
            return ProbeResult.fail("timed out after "
                    + (command.timeout() == null ? "its time limit" : HttpSupport.format(command.timeout())));
        }
        if (r.cancelled()) {
            return ProbeResult.fail("cancelled");
        }
        return ProbeResult.fail("exited with code " + r.exitCode());
    }
}
