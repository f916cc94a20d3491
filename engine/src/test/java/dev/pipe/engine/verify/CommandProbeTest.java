package dev.pipe.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.Executor;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.ShellCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code check "NAME" { sh ... }} through a fake executor. */
class CommandProbeTest {
    private final ShellCommand command = new ShellCommand("./scripts/error-rate.sh production 5", Path.of("."), Map.of(),
            Duration.ofMinutes(1), null);
    private final List<ShellCommand> ran = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private final OutputSink sink = new OutputSink() {
        @Override
        public void write(Stream stream, String chunk) {
            out.append(chunk);
        }

        @Override
        public void close() {
            throw new AssertionError("the probe closed the caller's sink");
        }
    };

    private Executor exiting(ExecResult... results) {
        int[] i = {0};
        return (cmd, s, cancel) -> {
            ran.add(cmd);
            s.write(OutputSink.Stream.STDOUT, "error rate 1.2%\n");
            return results[Math.min(i[0]++, results.length - 1)];
        };
    }

    private static ExecResult exit(int code) {
        return new ExecResult(code, false, false, Duration.ofMillis(5));
    }

    @Test
    void exitZeroPassesAndTheOutputGoesToTheSink() throws Exception {
        ProbeResult r = new CommandProbe(exiting(exit(0)), command, sink).attempt(new Cancellation());
        assertEquals(ProbeResult.pass("exited with code 0"), r);
        assertSame(command, ran.getFirst());
        assertEquals("error rate 1.2%\n", out.toString());
    }

    @Test
    void failuresSayHowTheCommandEnded() throws Exception {
        Cancellation cancel = new Cancellation();
        assertEquals(ProbeResult.fail("exited with code 3"), new CommandProbe(exiting(exit(3)), command, sink).attempt(cancel));
        assertEquals(ProbeResult.fail("timed out after 1m"),
                new CommandProbe(exiting(new ExecResult(-1, true, false, Duration.ofMinutes(1))), command, sink).attempt(cancel));
        assertEquals(ProbeResult.fail("cancelled"),
                new CommandProbe(exiting(new ExecResult(-1, false, true, Duration.ofSeconds(1))), command, sink).attempt(cancel));
    }

    @Test
    void aCheckIsRetriedThroughTheVerifierUntilTheCommandSucceeds() throws Exception {
        FakeTime time = new FakeTime();
        CommandProbe probe = new CommandProbe(exiting(exit(1), exit(1), exit(0)), command, sink);
        VerifyResult r = time.verifier().verify(VerifySpec.once(List.of(new CheckSpec("error rate below 5%", 3,
                Duration.ofSeconds(20), probe))), new Cancellation(), Verifier.Listener.NONE);
        assertEquals(VerifyResult.Status.PASSED, r.status());
        assertEquals(3, ran.size());
        assertEquals(List.of(Duration.ofSeconds(20), Duration.ofSeconds(20)), time.sleeps);
    }
}
