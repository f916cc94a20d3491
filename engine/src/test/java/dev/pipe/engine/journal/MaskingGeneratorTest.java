package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Every way a string can reach the journal's generator is masked, streamed text included. */
class MaskingGeneratorTest {
    private static String write(java.util.function.Consumer<JsonGenerator> body) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JournalCodec.MaskingGenerator(new JsonFactory().createGenerator(out),
                s -> s.replace("s3cret", "***"))) {
            g.writeStartArray();
            body.accept(g);
            g.writeEndArray();
        }
        return out.toString();
    }

    @Test
    void stringsFromAReaderAreMaskedWholeOrUpToTheirLength() throws Exception {
        assertEquals("[\"a *** b\"]", write(g -> {
            try {
                g.writeString(new StringReader("a s3cret b"), -1);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertEquals("[\"***\"]", write(g -> {
            try {
                g.writeString(new StringReader("s3cret and more"), 6);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertEquals("[\"x *** y\"]", write(g -> {
            try {
                g.writeString("x s3cret y".toCharArray(), 0, 10);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }
}
