package dev.pipe.lang.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.SourceFile;
import org.junit.jupiter.api.Test;

/** Spans are UTF-16 offsets into the text, also after characters outside the basic plane. */
class SpanOffsetsTest {
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void treeSpansAfterAnEmojiCoverTheirText() {
        SourceFile file = new SourceFile("e.pipe", "// " + EMOJI + EMOJI + "\npipeline x\nstage build { }\n");
        ParseResult result = SourceParser.parse(file);
        assertEquals("stage build { }", file.slice(result.program().stages().getFirst().span()));
        assertEquals("// " + EMOJI + EMOJI, file.slice(result.comments().getFirst().span()));
    }

    @Test
    void errorsAfterAnEmojiPointAtTheirToken() {
        SourceFile file = new SourceFile("e.pipe", "pipeline x // " + EMOJI + "\nstage s { when \"" + EMOJI + "\" ) }\n");
        Diagnostic d = SourceParser.parse(file).diagnostics().getFirst();
        assertEquals(")", file.slice(d.span()));
        assertEquals("e.pipe:2:20", d.location());
    }

    @Test
    void aStrayEmojiIsNamedWhole() {
        SourceFile file = new SourceFile("e.pipe", "pipeline x\nstage s { when " + EMOJI + " }\n");
        assertEquals("unexpected character `" + EMOJI + "`; expected an expression",
                SourceParser.parse(file).diagnostics().getFirst().message());
    }
}
