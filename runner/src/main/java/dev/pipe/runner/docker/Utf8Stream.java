package dev.pipe.runner.docker;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one output stream as UTF-8, chunk by chunk as frames arrive: a character whose bytes
 * come in two frames is held back until it is whole, and bytes that are not UTF-8 show as U+FFFD.
 */
final class Utf8Stream {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** The text of {@code bytes} that is complete so far; may be empty. */
    String decode(byte[] bytes) {
        ByteBuffer in;
        if (pending.hasRemaining()) {
            in = ByteBuffer.allocate(pending.remaining() + bytes.length);
            in.put(pending).put(bytes).flip();
        } else {
            in = ByteBuffer.wrap(bytes);
        }
        CharBuffer out = CharBuffer.allocate((int) (in.remaining() * 1.1) + 4);
        decoder.decode(in, out, false);
        pending = in.hasRemaining() ? ByteBuffer.wrap(copy(in)) : ByteBuffer.allocate(0);
        out.flip();
        return out.toString();
    }

    /** The stream ended: what is held back, as replacement characters. */
    String finish() {
        CharBuffer out = CharBuffer.allocate(pending.remaining() * 2 + 4);
        decoder.decode(pending, out, true);
        decoder.flush(out);
        pending = ByteBuffer.allocate(0);
        decoder.reset();
        out.flip();
        return out.toString();
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
