/**
 * Verify: the health checks a deploying stage runs after its steps.
 *
 * <p>The stage runner evaluates the stage's {@code verify} block into a {@link
 * dev.pipe.engine.verify.VerifySpec}: durations, retries and addresses already known, each check
 * a {@link dev.pipe.engine.verify.Probe} that makes one try ({@link
 * dev.pipe.engine.verify.HttpProbe} for {@code http}, {@link dev.pipe.engine.verify.CommandProbe}
 * for {@code check "NAME" { sh ... }}). {@link dev.pipe.engine.verify.Verifier} runs the rounds:
 * every check in order, each with its retries, and with a soak ({@code for 10m every 1m}) again
 * and again until the soak is over. The first check that runs out of tries ends verify as
 * failed, and the stage rolls back. Every try goes to a {@link
 * dev.pipe.engine.verify.Verifier.Listener} so that the run can journal and print it; the {@link
 * dev.pipe.engine.verify.VerifyResult} says how verify ended and how often each check was tried.
 *
 * <p>Time comes from an injected {@link dev.pipe.engine.verify.Verifier.Ticker} and {@link
 * dev.pipe.engine.verify.Verifier.Sleeper}, so a ten-minute soak can be tested in milliseconds.
 */
package dev.pipe.engine.verify;
