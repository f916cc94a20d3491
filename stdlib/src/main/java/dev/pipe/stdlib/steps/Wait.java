package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import dev.pipe.lang.time.Durations;
import dev.pipe.lang.time.TimeSyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code wait 30s}: waits, such as for a service to settle after a deploy. A cancel ends the wait
 * at once and fails the step; a step {@code timeout} shorter than the wait ends it as timed out.
 */
public final class Wait implements StepFunction {
    @Override
    public String name() {
        return "wait";
    }

    @Override
    public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
        String text = args.positional();
        Duration d;
        try {
            d = Durations.parse(text == null ? "" : text.strip());
        } catch (TimeSyntaxException e) {
            return Result.failed("`" + text + "` is not a duration such as 30s or 5m");
        }
        boolean cut = timeout != null && timeout.compareTo(d) < 0;
        Duration wait = cut ? timeout : d;
        log.write(OutputSink.Stream.STDOUT, "waiting " + Durations.format(d) + "\n");
        CountDownLatch latch = new CountDownLatch(1);
        Runnable off = cancel.onCancel(latch::countDown);
        try {
            if (latch.await(wait.toMillis(), TimeUnit.MILLISECONDS) || cancel.isCancelled()) {
                return Result.failed("cancelled" + (cancel.reason() == null ? "" : ": " + cancel.reason()));
            }
        } finally {
            off.run();
        }
        return cut ? Result.timedOut("timed out after " + Durations.format(timeout) + ", before the wait of "
                + Durations.format(d) + " was over") : Result.ok(Map.of());
    }
}
