package dev.pipe.lang.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * Duration literals of the pipe language, such as {@code 90s}, {@code 10m}, {@code 1.5h} or
 * {@code 1h30m}.
 *
 * <p>Syntax: one or more parts written without spaces, each part being digits with an optional
 * fraction ({@code 1.5}) followed by a unit. Units are {@code ms} (milliseconds), {@code s}
 * (seconds), {@code m} (minutes), {@code h} (hours) and {@code d} (days of exactly 24 hours), in
 * lower case. In a compound literal the units appear from largest to smallest, each at most once
 * ({@code 1d12h}, {@code 1h30m}, {@code 2m30s500ms}). The value must be a whole number of
 * milliseconds, so {@code 1.5s} is fine but {@code 0.5ms} is not. Zero ({@code 0s}) is allowed;
 * callers decide whether it makes sense where it is used.
 *
 * <p>{@link #format(Duration)} writes the canonical literal: the largest units first, zero parts
 * left out, so a duration that is a whole number of some unit is written with that unit alone
 * ({@code 24h} becomes {@code 1d}, {@code 120s} becomes {@code 2m}) and anything else is compound
 * ({@code 90s} becomes {@code 1m30s}). {@code parse(format(d)).equals(d)} for every duration
 * {@code format} accepts.
 */
public final class Durations {

    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);
    private static final BigInteger MAX_SECONDS = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * Parses a duration literal.
     *
     * @throws TimeSyntaxException if {@code text} is not a duration literal; the offset points at
     *     the offending part
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        int n = text.length();
        if (n == 0) {
            throw new TimeSyntaxException("an empty text is not a duration: use a number followed"
                    + " by ms, s, m, h or d, such as 90s or 10m", 0, 0);
        }
        BigDecimal totalMillis = BigDecimal.ZERO;
        int lastRank = -1;
        int i = 0;
        while (i < n) {
            int numberStart = i;
            i = skipDigits(text, i);
            if (i == numberStart) {
                throw notADuration(text);
            }
            if (i < n && text.charAt(i) == '.') {
                int fractionStart = i + 1;
                i = skipDigits(text, fractionStart);
                if (i == fractionStart) {
                    throw notADuration(text);
                }
            }
            String number = text.substring(numberStart, i);
            int unitStart = i;
            while (i < n && isAsciiLetter(text.charAt(i))) {
                i++;
            }
            String unit = text.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw missingUnit(text, number, numberStart, lastRank);
            }
            int rank = rankOf(unit);
            if (rank < 0) {
                if (rankOf(unit.toLowerCase(java.util.Locale.ROOT)) >= 0) {
                    throw new TimeSyntaxException("`" + text + "` has the upper-case unit " + unit
                            + ": write units in lower case, such as 10s or 10m",
                            unitStart, unit.length());
                }
                throw notADuration(text);
            }
            if (rank == lastRank) {
                throw new TimeSyntaxException("`" + text + "` repeats the unit " + unit
                        + ": give each unit once, such as 1h30m", unitStart, unit.length());
            }
            if (rank < lastRank) {
                throw new TimeSyntaxException("`" + text + "` has its units out of order: write"
                        + " the largest unit first, such as 1h30m rather than 30m1h",
                        unitStart, unit.length());
            }
            lastRank = rank;
            totalMillis = totalMillis.add(
                    new BigDecimal(number).multiply(BigDecimal.valueOf(UNIT_MILLIS[rank])));
        }
        BigInteger millis;
        try {
            millis = totalMillis.toBigIntegerExact();
        } catch (ArithmeticException fractionOfAMillisecond) {
            throw new TimeSyntaxException("`" + text + "` is more precise than a millisecond:"
                    + " round it to whole milliseconds, such as 1.5s or 1500ms", 0, n);
        }
        BigInteger[] secondsAndMillis = millis.divideAndRemainder(THOUSAND);
        if (secondsAndMillis[0].compareTo(MAX_SECONDS) > 0) {
            throw new TimeSyntaxException("`" + text + "` is too long to be a duration: use a"
                    + " value below about 292 billion years", 0, n);
        }
        return Duration.ofSeconds(secondsAndMillis[0].longValueExact(),
                secondsAndMillis[1].longValueExact() * 1_000_000L);
    }

    /**
     * Writes {@code duration} as the canonical shortest literal, largest units first and zero parts
     * left out ({@code 1d}, {@code 1m30s}, {@code 1s500ms}); zero is {@code 0s}.
     *
     * @throws IllegalArgumentException if the duration is negative or not a whole number of
     *     milliseconds, since no literal can express it
     */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "cannot write the negative duration " + duration + " as a literal");
        }
        if (duration.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("cannot write " + duration
                    + " as a literal: literals have millisecond precision");
        }
        long seconds = duration.getSeconds();
        long[] parts = {
            seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60,
            duration.getNano() / 1_000_000
        };
        StringBuilder out = new StringBuilder();
        for (int rank = 0; rank < parts.length; rank++) {
            if (parts[rank] != 0) {
                out.append(parts[rank]).append(UNITS[rank]);
            }
        }
        return out.isEmpty() ? "0s" : out.toString();
    }

    private static TimeSyntaxException missingUnit(
            String text, String number, int numberStart, int lastRank) {
        if (numberStart + number.length() != text.length() || lastRank == UNITS.length - 1) {
            return notADuration(text);
        }
        if (lastRank < 0) {
            return new TimeSyntaxException("`" + text + "` needs a unit, such as " + number
                    + "s or " + number + "m", numberStart, number.length());
        }
        return new TimeSyntaxException("`" + text + "` needs a unit after " + number + ", such as "
                + text + UNITS[lastRank + 1], numberStart, number.length());
    }

    private static TimeSyntaxException notADuration(String text) {
        return new TimeSyntaxException("`" + text + "` is not a duration: use a number followed by"
                + " ms, s, m, h or d, such as 90s or 10m", 0, text.length());
    }

    private static int rankOf(String unit) {
        for (int rank = 0; rank < UNITS.length; rank++) {
            if (UNITS[rank].equals(unit)) {
                return rank;
            }
        }
        return -1;
    }

    private static int skipDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
