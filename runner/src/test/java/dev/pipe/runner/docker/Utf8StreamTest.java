package dev.pipe.runner.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames from the engine split output anywhere, also inside a character. */
class Utf8StreamTest {
    @Test
    void aCharacterSplitAcrossFramesIsHeldBackUntilItIsWhole() {
        byte[] all = "añ€😀z".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            Utf8Stream s = new Utf8Stream();
            String text = s.decode(Arrays.copyOfRange(all, 0, cut)) + s.decode(Arrays.copyOfRange(all, cut, all.length))
                    + s.finish();
            assertEquals("añ€😀z", text, "cut at byte " + cut);
        }
    }

    @Test
    void oneByteAtATimeLosesNothing() {
        Utf8Stream s = new Utf8Stream();
        StringBuilder out = new StringBuilder();
        for (byte b : "ünïcode ✓\n".getBytes(StandardCharsets.UTF_8)) {
            out.append(s.decode(new byte[] {b}));
        }
        assertEquals("ünïcode ✓\n", out.append(s.finish()).toString());
    }

    @Test
    void bytesThatAreNotUtf8ShowAsReplacementCharacters() {
        Utf8Stream s = new Utf8Stream();
        assertEquals("a\uFFFDb", s.decode(new byte[] {'a', (byte) 0xff, 'b'}) + s.finish());
        Utf8Stream t = new Utf8Stream();
        assertEquals("x", t.decode(new byte[] {'x', (byte) 0xe2, (byte) 0x82}));
        assertEquals("\uFFFD", t.finish(), "a character cut off at the end of the stream");
    }

    @Test
    void theShellCommandLineIsTheLocalRunnersInAContainer() {
        assertEquals(List.of("bash", "-eo", "pipefail", "-c", "x"), ContainerExecutor.commandLine("bash", "x"));
        assertEquals(List.of("/bin/sh", "-e", "-c", "x"), ContainerExecutor.commandLine("/bin/sh", "x"));
        assertEquals(List.of("python3", "-c", "x"), ContainerExecutor.commandLine("python3", "x"));
        List<String> auto = ContainerExecutor.commandLine(null, "x");
        assertEquals("x", auto.get(auto.size() - 1));
        assertEquals("sh", auto.get(0));
    }
}
