package dev.pipe.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code journal.jsonl}. A torn last line is left out and reported, since power loss or a
 * kill can cut the last write short; anything wrong before it means the file is damaged and is
 * an error naming the line. Lines of unknown types are skipped with a warning.
 */
public final class JournalReader {
    private JournalReader() {
    }

    /** Reads a journal; a missing file is an {@link IOException}, a damaged one a {@link JournalException}. */
    public static JournalFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Reads journal bytes; {@code name} names the file in messages. */
    public static JournalFile parse(byte[] bytes, String name) {
        List<JournalEntry> entries = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        JournalFile.Torn torn = null;
        long lastSeq = 0;
        int start = 0;
        int line = 0;
        while (start < bytes.length) {
            line++;
            int newline = indexOf(bytes, (byte) '\n', start);
            if (newline < 0) {
                torn = new JournalFile.Torn(line, start, bytes.length - start, "it does not end with a newline");
                break;
            }
            boolean last = newline == bytes.length - 1;
            JournalCodec.Decoded decoded;
            try {
                decoded = JournalCodec.decode(utf8(bytes, start, newline - start));
            } catch (JournalCodec.NotJson e) {
                if (last) {
                    torn = new JournalFile.Torn(line, start, newline + 1 - start, e.getMessage());
                    break;
                }
                throw damaged(name, line, e.getMessage(), e);
            } catch (JournalCodec.NotAnEvent e) {
                throw damaged(name, line, e.getMessage(), e);
            }
            if (decoded.seq() <= lastSeq) {
                throw damaged(name, line, "its seq " + decoded.seq() + " does not follow seq " + lastSeq, null);
            }
            lastSeq = decoded.seq();
            switch (decoded) {
                case JournalCodec.Known known -> entries.add(known.entry());
                case JournalCodec.Unknown unknown -> warnings.add("line " + line + " of " + name
                        + ": skipped an event of unknown type `" + unknown.type()
                        + "`; it was probably written by a newer pipe.");
            }
            start = newline + 1;
        }
        long valid = torn == null ? bytes.length : torn.offset();
        return new JournalFile(entries, warnings, Optional.ofNullable(torn), valid, lastSeq);
    }

    private static JournalException damaged(String name, int line, String why, Throwable cause) {
        return new JournalException("line " + line + " of " + name + " is damaged: " + why
                + ". Only the last line may be torn; this journal cannot be trusted.", line, cause);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Strict UTF-8: invalid bytes (a torn multi-byte character, zeroed blocks) make the line not JSON. */
    private static String utf8(byte[] bytes, int offset, int length) throws JournalCodec.NotJson {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JournalCodec.NotJson("it is not UTF-8 text");
        }
    }
}
