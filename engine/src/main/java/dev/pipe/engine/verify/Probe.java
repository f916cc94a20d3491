package dev.pipe.engine.verify;

import dev.pipe.engine.run.Cancellation;

/** One try of a verify check: a request, a command. The {@link Verifier} does the retrying. */
@FunctionalInterface
public interface Probe {
    /**
     * Tries once. A try that cannot even start (no connection, a command that is missing) is a
     * failed try, not an exception: the next try may well succeed.
     *
     * @param cancel stops the try early; the result then does not matter, verify is cancelled
     * @throws InterruptedException when the thread is interrupted; verify is abandoned
     */
    ProbeResult attempt(Cancellation cancel) throws InterruptedException;
}
