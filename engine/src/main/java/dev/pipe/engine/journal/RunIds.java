package dev.pipe.engine.journal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Run ids such as {@code 20261122-051530-3kx9}: the UTC date and time the run was created,
 * then four characters of Crockford base32 (digits and lower-case letters without i, l, o, u)
 * holding the millisecond (10 bits) and 10 random bits. Ids therefore sort by creation time to
 * the millisecond, as text; two runs created in the same millisecond differ by their random
 * bits, and {@link RunStore#create} retries on the rare clash.
 */
public final class RunIds {
    static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final Pattern ID = Pattern.compile("\\d{8}-\\d{6}-[0-9a-hjkmnp-tv-z]{4}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunIds() {
    }

    /** A new id for a run created at {@code now}. */
    public static String next(Instant now, RandomGenerator random) {
        LocalDateTime utc = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        int millis = utc.getNano() / 1_000_000;
        int bits = millis << 10 | random.nextInt(1 << 10);
        char[] suffix = new char[4];
        for (int i = 3; i >= 0; i--) {
            suffix[i] = ALPHABET.charAt(bits & 31);
            bits >>>= 5;
        }
        return TIME.format(utc) + "-" + new String(suffix);
    }

    public static boolean isValid(String id) {
        return ID.matcher(id).matches() && parse(id) != null;
    }

    /** When the run with this id was created, to the millisecond. */
    public static Instant createdAt(String id) {
        Instant at = ID.matcher(id).matches() ? parse(id) : null;
        if (at == null) {
            throw new IllegalArgumentException("`" + id + "` is not a run id such as 20261122-051530-3kx9");
        }
        return at;
    }

    private static Instant parse(String id) {
        try {
            LocalDateTime time = LocalDateTime.parse(id.substring(0, 15), TIME);
            int bits = 0;
            for (int i = 16; i < 20; i++) {
                bits = bits << 5 | ALPHABET.indexOf(id.charAt(i));
            }
            int millis = bits >>> 10;
            return millis > 999 ? null : time.toInstant(ZoneOffset.UTC).plusMillis(millis);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
