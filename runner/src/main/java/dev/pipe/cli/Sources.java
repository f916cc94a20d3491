package dev.pipe.cli;

import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads pipeline files and refuses, in one clear line, anything that is not one: a missing
 * path, a directory, a binary file, text that is not UTF-8, or a file too large to be a pipeline.
 */
public final class Sources {
    /** Pipelines are code; 16 MiB is far beyond any real one and keeps a stray upload from hurting. */
    public static final long MAX_BYTES = 16L * 1024 * 1024;

    private Sources() {
    }

    public static SourceFile load(Path path) {
        String shown = path.toString();
        if (!Files.exists(path)) {
            throw CliException.usage(shown + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw CliException.usage(shown + ": is a directory; pass a .pipe file");
        }
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new CliException(Exit.ERRORS, String.format(Locale.ROOT,
                        "%s: is %.1f MB; pipe reads pipeline files up to %d MB", shown, size / 1e6, MAX_BYTES >> 20));
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw CliException.usage(shown + ": no such file");
        } catch (AccessDeniedException e) {
            throw CliException.usage(shown + ": permission denied");
        } catch (IOException e) {
            throw CliException.usage(shown + ": cannot be read (" + e.getMessage() + ")");
        }
        return decode(shown, bytes);
    }

    static SourceFile decode(String shown, byte[] bytes) {
        int scan = Math.min(bytes.length, 8192);
        for (int i = 0; i < scan; i++) {
            if (bytes[i] == 0) {
                throw new CliException(Exit.ERRORS, shown + ": looks like a binary file, not a pipeline");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            int bad = firstBadByte(bytes);
            throw new CliException(Exit.ERRORS, shown + ":" + lineCol(bytes, bad) + ": is not valid UTF-8 text"
                    + " (byte 0x" + String.format("%02X", bytes[bad] & 0xff) + "); save the file as UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new SourceFile(shown, text);
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return Math.min(in.position(), bytes.length - 1);
    }

    private static String lineCol(byte[] bytes, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String before = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
        return line + ":" + (before.codePointCount(0, before.length()) + 1);
    }
}
