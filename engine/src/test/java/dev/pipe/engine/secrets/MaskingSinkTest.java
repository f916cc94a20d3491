package dev.pipe.engine.secrets;

import static dev.pipe.engine.run.OutputSink.Stream.STDERR;
import static dev.pipe.engine.run.OutputSink.Stream.STDOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingSinkTest {
    @Test
    void aSecretSplitAcrossWritesIsMasked() {
        RecordingSink out = new RecordingSink();
        MaskingSink sink = new MaskingSink(out, Masker.of(List.of("hunter2")));
        sink.write(STDOUT, "password: hun");
        sink.write(STDERR, "warning: hunt");
        sink.write(STDOUT, "ter2 ok");
        sink.write(STDERR, "ing season");
        assertTrue(out.of(STDOUT).length() <= "password: *** ok".length());
        sink.close();
        assertEquals("password: *** ok", out.of(STDOUT));
        assertEquals("warning: hunting season", out.of(STDERR));
        assertEquals(1, out.closes);
        sink.close();
        assertEquals(1, out.closes, "closing twice closes the wrapped sink once");
        assertThrows(IllegalStateException.class, () -> sink.write(STDOUT, "late"));
    }

    @Test
    void holdsBackOnlyWhatCouldStartASecret() {
        RecordingSink out = new RecordingSink();
        Masker masker = Masker.of(List.of("hunter2"));
        MaskingSink sink = new MaskingSink(out, masker);
        String text = "a long line of text without the secret, which ends in hu";
        sink.write(STDOUT, text);
        String shown = out.of(STDOUT);
        assertEquals(text.substring(0, text.length() - (masker.longestPattern() - 1)), shown);
        sink.write(STDOUT, "mm\n");
        assertEquals("a long line of text without the secret, which ends in humm\n", out.of(STDOUT),
                "no secret spans lines, so a finished line is passed on at once");
    }

    @Test
    void aMultiLineSecretAcrossManyWrites() {
        String key = "-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----\n";
        RecordingSink out = new RecordingSink();
        MaskingSink sink = new MaskingSink(out, Masker.of(List.of(key)));
        String text = "key:\n" + key + "done\n";
        for (char c : text.toCharArray()) {
            sink.write(STDOUT, String.valueOf(c));
        }
        sink.close();
        assertEquals("key:\n***done\n", out.of(STDOUT));
    }

    @Test
    void withoutSecretsEveryWritePassesThrough() {
        RecordingSink out = new RecordingSink();
        MaskingSink sink = new MaskingSink(out, Masker.of(List.of("12")));
        sink.write(STDOUT, "a");
        sink.write(STDERR, "b");
        sink.close();
        assertEquals(List.of("STDOUT:a", "STDERR:b"), out.writes);
        assertEquals(1, out.closes);
    }
}
