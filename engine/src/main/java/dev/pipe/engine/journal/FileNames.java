package dev.pipe.engine.journal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stage and step names as file names, such as {@code test[node=18]} and {@code run tests}.
 *
 * <p>Letters, digits and {@code . _ - = ,} stay as they are; every other character becomes
 * {@code %XX} per UTF-8 byte (upper-case hex), like a URL: {@code test%5Bnode=18%5D} and
 * {@code run%20tests}. A leading dot is encoded too, so no name becomes a hidden file, {@code .}
 * or {@code ..}. The result is safe in any shell without quoting and on every file system, and
 * {@link #decode} gives the name back.
 *
 * <p>Names whose encoding would be longer than {@value #MAX} characters (file names are
 * limited to 255 bytes) are cut and end in {@code ~} and 16 hex digits of the name's SHA-256:
 * still unique, but not reversible; look such a name up in the journal instead.
 */
public final class FileNames {
    /** The longest encoded name kept whole; room is left for an extension such as {@code .log}. */
    public static final int MAX = 200;

    private static final char SHORTENED = '~';
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private FileNames() {
    }

    /**
     * The file name for {@code name}.
     *
     * @throws IllegalArgumentException for an empty name or one that is not valid Unicode
     *     (a lone surrogate)
     */
    public static String encode(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an empty name has no file name");
        }
        byte[] bytes;
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("`" + name + "` is not valid Unicode text", e);
        }
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (isKept(b) && !(i == 0 && b == '.')) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.toHexDigits((byte) b));
            }
        }
        return out.length() <= MAX ? out.toString() : shorten(out, name);
    }

    private static String shorten(StringBuilder encoded, String name) {
        int cut = MAX - 17;
        // Never split a %XX escape.
        if (encoded.charAt(cut - 1) == '%') {
            cut -= 1;
        } else if (encoded.charAt(cut - 2) == '%') {
            cut -= 2;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return encoded.substring(0, cut) + SHORTENED + HexFormat.of().formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** True for a file name {@link #encode} had to cut, which {@link #decode} cannot reverse. */
    public static boolean isShortened(String fileName) {
        return fileName.indexOf(SHORTENED) >= 0;
    }

    /**
     * The name {@code fileName} encodes.
     *
     * @throws IllegalArgumentException when {@code fileName} is not what {@link #encode} makes
     *     of any name, or was shortened
     */
    public static String decode(String fileName) {
        if (isShortened(fileName)) {
            throw new IllegalArgumentException("`" + fileName + "` was shortened from a long name; the journal has the full name");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(fileName.length());
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            if (c == '%' && i + 2 < fileName.length() && isHex(fileName.charAt(i + 1)) && isHex(fileName.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(fileName, i + 1, i + 3));
                i += 2;
            } else if (c < 0x80 && isKept(c)) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("`" + fileName + "` is not an encoded name: `" + c + "` at " + i);
            }
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("`" + fileName + "` does not encode UTF-8 text", e);
        }
        // One file name per name: refuse spellings encode would not produce (%41 for A, a leading dot).
        if (name.isEmpty() || !encode(name).equals(fileName)) {
            throw new IllegalArgumentException("`" + fileName + "` is not an encoded name");
        }
        return name;
    }

    private static boolean isKept(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-' || c == '=' || c == ',';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
