package dev.pipe.runner.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.ExecResult;
import dev.pipe.engine.run.ShellCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** stdout and stderr reach the sink apart, complete, decoded and as they are written; through the spawner and the JVM. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = LocalExecutor.Spawning.class, names = {"NATIVE", "PERL", "PROCESS_BUILDER"})
class OutputStreamingTest {
    @Parameter
    LocalExecutor.Spawning spawning;

    @TempDir
    Path dir;

    LocalExecutor executor;

    @BeforeEach
    void start() {
        Procs.requireSpawner(spawning);
        executor = new LocalExecutor(Duration.ofMillis(300), null, spawning);
    }

    @AfterEach
    void close() {
        executor.close();
    }

    private ExecResult run(String script, RecordingSink sink, Duration timeout) throws InterruptedException {
        ExecResult r = executor
                .exec(new ShellCommand(script, dir, LocalExecutorTest.ENV, timeout, null), sink, new Cancellation());
        assertNull(sink.misuse(), sink.misuse());
        assertEquals(1, sink.closes());
        assertEquals(0, OutputPump.runningReaders(), "no reader thread is left running");
        return r;
    }

    private ExecResult run(String script, RecordingSink sink) throws InterruptedException {
        return run(script, sink, null);
    }

    @Test
    void stdoutAndStderrStayApart() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        run("echo to-out; echo to-err >&2; printf 'no newline'", sink);
        assertEquals("to-out\nno newline", sink.out());
        assertEquals("to-err\n", sink.err());
    }

    @Test
    void interleavedWritesArriveInOrderPerStream() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        run("for i in $(seq 2000); do echo \"out $i\"; echo \"err $i\" >&2; done", sink);
        assertEquals(lines("out", 2000), sink.out());
        assertEquals(lines("err", 2000), sink.err());
    }

    @Test
    void fiveMegabytesOnBothStreamsAtOnceArriveWhole() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        // Both streams at the same time: a reader that drained one pipe after the other would deadlock.
        ExecResult r = run("seq 1 800000 >&2 & seq 1 800000; wait", sink, Duration.ofSeconds(20));
        assertEquals(0, r.exitCode());
        String expected = IntStream.rangeClosed(1, 800000).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        assertTrue(expected.length() > 5_000_000);
        assertEquals(expected.length(), sink.out().length());
        assertEquals(expected, sink.out());
        assertEquals(expected, sink.err());
    }

    @Test
    void outputArrivesWhileTheCommandRuns() throws InterruptedException {
        // The command waits for a file the sink creates on seeing its first line.
        RecordingSink sink = new RecordingSink((stream, soFar) -> {
            if (soFar.equals("first\n")) {
                try {
                    Files.createFile(dir.resolve("go"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        ExecResult r = run("echo first; while [ ! -e go ]; do sleep 0.01; done; echo second", sink, Duration.ofSeconds(5));
        assertFalse(r.timedOut(), "the first line reached the sink only when the command ended");
        assertEquals("first\nsecond\n", sink.out());
    }

    @Test
    void aCharacterSplitAcrossWritesIsNeverSplitInTheSink() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        // € is E2 82 AC, 😀 is F0 9F 98 80; the pauses make the halves arrive in separate reads.
        run("printf 'a\\xe2\\x82'; sleep 0.15; printf '\\xac b \\xf0'; sleep 0.15; printf '\\x9f\\x98\\x80 c'", sink);
        assertEquals("a€ b 😀 c", sink.out());
        List<String> chunks = sink.outChunks();
        assertTrue(chunks.size() >= 2, "the writes arrived in one read, so nothing was split: " + chunks);
        for (String chunk : chunks) {
            assertFalse(chunk.contains("\uFFFD"), chunks::toString);
            assertFalse(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)), chunks::toString);
        }
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        run("printf 'a\\xffb\\n' ; printf 'cut \\xe2\\x82' >&2", sink);
        assertEquals("a\uFFFDb\n", sink.out());
        assertTrue(sink.err().matches("cut \uFFFD+"), sink.err());
    }

    @Test
    void aSinkThatFailsDoesNotBlockTheCommand() throws InterruptedException {
        RecordingSink sink = new RecordingSink((stream, soFar) -> {
            throw new IllegalStateException("disk full");
        });
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> executor.exec(new ShellCommand("seq 1 200000; echo done > marker.txt", dir,
                        LocalExecutorTest.ENV, Duration.ofSeconds(10), null), sink, new Cancellation()));
        assertEquals("disk full", e.getMessage());
        assertEquals(1, sink.closes(), "the sink is closed even so");
        assertTrue(Files.exists(dir.resolve("marker.txt")), "the command ran to its end");
        assertEquals(0, OutputPump.runningReaders());
    }

    private static String lines(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " " + i + "\n").collect(Collectors.joining());
    }
}
