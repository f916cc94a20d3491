package dev.pipe.lang.time;

import java.time.LocalDate;
import java.time.Year;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Objects;

/**
 * Dates on which a deployment window stays shut, as written in
 * {@code freeze ["2026-12-24".."2027-01-02"]} (a range, both ends included) or
 * {@code freeze ["2026-07-04"]} (a single date, where {@code from == toInclusive}).
 *
 * <p>Dates are local dates in the window's zone: an instant is frozen when its date in that zone
 * lies within the period.
 *
 * @param from the first frozen date
 * @param toInclusive the last frozen date, not before {@code from}
 */
public record FreezePeriod(LocalDate from, LocalDate toInclusive) {

    /**
     * Checks the period.
     *
     * @throws TimeSyntaxException if the period ends before it starts
     */
    public FreezePeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(toInclusive, "toInclusive");
        if (toInclusive.isBefore(from)) {
            throw new TimeSyntaxException("the freeze from " + from + " to " + toInclusive
                    + " ends before it starts: put the earlier date first");
        }
    }

    /** A freeze of one day. */
    public static FreezePeriod on(LocalDate date) {
        return new FreezePeriod(date, date);
    }

    /**
     * Parses a freeze from ISO dates ({@code YYYY-MM-DD}); {@code toOrNull} is the inclusive end,
     * or {@code null} for a single date. Errors carry no offset, since two strings are involved;
     * the message quotes the bad one.
     *
     * @throws TimeSyntaxException if a date is malformed or not a real date, or the period ends
     *     before it starts
     */
    public static FreezePeriod parse(String from, String toOrNull) {
        LocalDate start = date(from);
        return new FreezePeriod(start, toOrNull == null ? start : date(toOrNull));
    }

    /** Whether {@code date} is one of the frozen dates. */
    public boolean contains(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(toInclusive);
    }

    /** {@code 2026-12-24 to 2027-01-02}, or just {@code 2026-07-04} for a single day. */
    public String describe() {
        return from.equals(toInclusive) ? from.toString() : from + " to " + toInclusive;
    }

    private static LocalDate date(String text) {
        if (text == null || text.isBlank()) {
            throw new TimeSyntaxException(
                    "the freeze date is empty: use YYYY-MM-DD, such as 2026-12-24");
        }
        if (!text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw new TimeSyntaxException("`" + text + "` is not a date: use YYYY-MM-DD,"
                    + " such as 2026-12-24");
        }
        int year = Integer.parseInt(text.substring(0, 4));
        int month = Integer.parseInt(text.substring(5, 7));
        int day = Integer.parseInt(text.substring(8, 10));
        if (month < 1 || month > 12) {
            throw new TimeSyntaxException("`" + text + "` is not a real date: months go from 01 to 12");
        }
        int length = Year.of(year).atMonth(month).lengthOfMonth();
        if (day < 1 || day > length) {
            String monthName = Year.of(year).atMonth(month).getMonth()
                    .getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            throw new TimeSyntaxException("`" + text + "` is not a real date: " + monthName + " "
                    + year + " has days 01 to " + length);
        }
        return LocalDate.of(year, month, day);
    }
}
