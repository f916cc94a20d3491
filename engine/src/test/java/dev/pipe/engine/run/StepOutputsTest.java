package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StepOutputsTest {
    @Test
    void linesAndHeredocs() {
        Map<String, String> out = StepOutputs.parse("""
                digest=sha256:abc=def
                notes<<EOF
                line one

                line three
                EOF

                empty=
                digest=sha256:later
                """);
        assertEquals(Map.of("digest", "sha256:later", "notes", "line one\n\nline three", "empty", ""), out);
        assertEquals("[digest, notes, empty]", out.keySet().toString());
    }

    @Test
    void mistakesNameTheLine() {
        var e = assertThrows(StepOutputs.OutputException.class, () -> StepOutputs.parse("a=1\njust text\n"));
        assertTrue(e.getMessage().startsWith("line 2 of $PIPE_OUTPUT"), e.getMessage());
        e = assertThrows(StepOutputs.OutputException.class, () -> StepOutputs.parse("notes<<EOF\nnever closed\n"));
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
        e = assertThrows(StepOutputs.OutputException.class, () -> StepOutputs.parse("9lives=1\n"));
        assertTrue(e.getMessage().contains("not an output name"), e.getMessage());
        e = assertThrows(StepOutputs.OutputException.class, () -> StepOutputs.parse("x<<\n"));
        assertTrue(e.getMessage().contains("needs a delimiter"), e.getMessage());
    }
}
