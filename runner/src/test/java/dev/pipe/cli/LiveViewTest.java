package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveViewTest {
    @TempDir
    Path dir;

    @Test
    void aFrameShowsEachStageWithItsStatusStepAndLastLine() {
        LiveView view = new LiveView(List.of("build", "test[node=18]", "deploy"), false,
                new PrintStream(new ByteArrayOutputStream()));
        long t0 = System.nanoTime();
        view.started("build");
        view.step("build", "compile");
        view.line("build", "compiling 3 of 7");
        view.started("test[node=18]");
        view.finished("test[node=18]", "failed", "step `unit` failed: exited with code 1");
        List<String> frame = view.frame(t0 + 2_500_000_000L, 100);
        assertEquals(3, frame.size());
        assertTrue(frame.get(0).matches("⠋ build +\\s+2\\.5s  compile: compiling 3 of 7"), frame.get(0));
        assertTrue(frame.get(1).startsWith("✗ test[node=18]") && frame.get(1).endsWith("step `unit` failed: exited with code 1"),
                frame.get(1));
        assertEquals("· deploy", frame.get(2).strip());
        assertTrue(view.frame(t0, 20).stream().allMatch(l -> l.length() <= 20));
    }

    @Test
    void onATerminalARunDrawsTheLiveViewThenTheSummary() throws Exception {
        Path file = Files.writeString(dir.resolve("l.pipe"), """
                pipeline l
                on push
                stage a {
                  step "x" { sh "echo hello" }
                }
                """);
        CliRun r = CliRun.of(Map.of("PIPE_TTY", "1", "NO_COLOR", "1"), "run", file.toString(), "--state",
                dir.resolve(".pipe").toString());
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("\u001b[2K✓ a"), r::toString);
        assertFalse(r.out().contains("\u001b[32m"), "NO_COLOR is honoured\n" + r);
        assertFalse(r.out().contains("[a/x] hello"), "no plain lines on a terminal\n" + r);
        assertTrue(r.out().contains("run l: succeeded"), r::toString);
    }
}
