package dev.pipe.lang.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A standard five-field cron schedule, as written in {@code on schedule "0 2 * * *"}.
 *
 * <p>Fields, separated by spaces: minute (0-59), hour (0-23), day-of-month (1-31), month (1-12 or
 * JAN-DEC) and day-of-week (0-7 or SUN-SAT, where 0 and 7 are both Sunday). Names are
 * case-insensitive. Each field is a comma list of items; an item is {@code *}, a value, a range
 * {@code a-b} (smaller value first, except that a day-of-week range may end on Sunday, as in
 * {@code FRI-SUN}), and any of these may take a step {@code /n} ({@code *}{@code /15},
 * {@code 10-50/20}; {@code a/n} means from a to the end of the field). The macros {@code @yearly}
 * (= {@code @annually}, {@code 0 0 1 1 *}), {@code @monthly} ({@code 0 0 1 * *}), {@code @weekly}
 * ({@code 0 0 * * 0}), {@code @daily} (= {@code @midnight}, {@code 0 0 * * *}) and {@code @hourly}
 * ({@code 0 * * * *}) are accepted too.
 *
 * <p>Day-of-month and day-of-week follow Vixie cron: if either field starts with {@code *} the
 * day must match both fields; if both are restricted, a day matching either field fires
 * ({@code 0 0 13 * FRI} fires on every 13th and on every Friday). An expression whose days can
 * never occur ({@code 0 0 30 2 *}) is rejected by {@link #parse}.
 *
 * <p>Times are wall-clock times in the zone of the instant given to {@link #next}. Across a
 * spring-forward gap, every matching time inside the gap fires once, together, at the first valid
 * instant after the gap (the transition). Across a fall-back overlap, a matching local time that
 * occurs twice fires once, at its first occurrence; this also holds for frequent schedules, so
 * {@code 0 * * * *} does not fire a second time in the repeated hour.
 */
public final class Cron {

    private static final String FIVE_FIELDS = "minute hour day-of-month month day-of-week";
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of(
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** One field's rules: its name, bounds, value names (the first names {@code min}) and hint. */
    private record Field(String name, int min, int max, List<String> names, String hint) {
    }

    private static final Field MINUTE = new Field("minute", 0, 59, List.of(), "0-59");
    private static final Field HOUR = new Field("hour", 0, 23, List.of(), "0-23");
    private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, List.of(), "1-31");
    private static final Field MONTH = new Field("month", 1, 12, MONTHS, "1-12 or JAN-DEC");
    private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 7, DAYS, "0-7 or SUN-SAT");
    private static final Field[] FIELDS = {MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK};

    private final String text;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private Cron(String text, long[] bits, boolean dayOfMonthStar, boolean dayOfWeekStar) {
        this.text = text;
        this.minutes = bits[0];
        this.hours = bits[1];
        this.daysOfMonth = bits[2];
        this.months = bits[3];
        long dow = bits[4];
        this.daysOfWeek = (dow | (dow >>> 7)) & 0x7F;
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
    }

    /**
     * Parses a five-field cron expression or a macro.
     *
     * @throws TimeSyntaxException naming the bad field, with the offset of the bad part
     */
    public static Cron parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new TimeSyntaxException("the cron expression is empty: write 5 fields ("
                    + FIVE_FIELDS + "), such as `0 2 * * *`, or a macro such as @daily", 0, 0);
        }
        int lead = text.indexOf(trimmed);
        if (trimmed.startsWith("@")) {
            String expansion = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (expansion == null) {
                String hint = trimmed.equalsIgnoreCase("@reboot")
                        ? "@reboot is not supported because a pipeline schedule needs a time:"
                        : "`" + trimmed + "` is not a cron macro:";
                throw new TimeSyntaxException(hint + " use @yearly, @annually, @monthly, @weekly,"
                        + " @daily, @midnight or @hourly", lead, trimmed.length());
            }
            Cron expanded = parse(expansion);
            return new Cron(text, new long[] {expanded.minutes, expanded.hours,
                expanded.daysOfMonth, expanded.months, expanded.daysOfWeek},
                expanded.dayOfMonthStar, expanded.dayOfWeekStar);
        }
        List<Integer> starts = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            starts.add(start);
            fields.add(text.substring(start, i));
        }
        if (fields.size() != 5) {
            throw new TimeSyntaxException("a cron expression has 5 fields (" + FIVE_FIELDS + "); `"
                    + trimmed + "` has " + fields.size(), lead, trimmed.length());
        }
        long[] bits = new long[5];
        for (int f = 0; f < 5; f++) {
            bits[f] = parseField(FIELDS[f], fields.get(f), starts.get(f));
        }
        Cron cron = new Cron(text, bits, fields.get(2).startsWith("*"), fields.get(4).startsWith("*"));
        if (!cron.dayOfMonthStar && cron.dayOfWeekStar && !cron.someMonthHasChosenDay()) {
            throw new TimeSyntaxException("`" + trimmed + "` never fires: none of its months has"
                    + " the day-of-month `" + fields.get(2) + "`", starts.get(2), fields.get(2).length());
        }
        return cron;
    }

    /**
     * The next firing strictly after {@code after}, in {@code after}'s zone (see the class comment
     * for how daylight-saving changes are handled). Rare combinations are found however far away
     * they are: {@code 0 0 29 2 *}{@code /7} (February 29 that is a Sunday, since a field starting
     * with {@code *} makes both day fields apply) can be 40 years apart.
     */
    public ZonedDateTime next(ZonedDateTime after) {
        Objects.requireNonNull(after, "after");
        ZoneId zone = after.getZone();
        ZoneRules rules = zone.getRules();
        Instant limit = after.toInstant();
        LocalDateTime c = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime end = c.plusYears(401); // the Gregorian calendar repeats every 400 years
        while (c.isBefore(end)) {
            if (!has(months, c.getMonthValue())) {
                c = c.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!dayMatches(c)) {
                c = c.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!has(hours, c.getHour())) {
                c = c.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!has(minutes, c.getMinute())) {
                c = c.plusMinutes(1);
            } else {
                Instant fire = firstInstant(rules, c);
                if (fire.isAfter(limit)) {
                    return ZonedDateTime.ofInstant(fire, zone);
                }
                c = c.plusMinutes(1);
            }
        }
        throw new IllegalStateException("`" + text + "` does not fire within 400 years of " + after);
    }

    /** Whether this schedule matches the local minute of {@code t} (seconds are ignored). */
    boolean matches(LocalDateTime t) {
        return has(months, t.getMonthValue()) && dayMatches(t) && has(hours, t.getHour())
                && has(minutes, t.getMinute());
    }

    /** The original text. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cron other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = has(daysOfMonth, t.getDayOfMonth());
        boolean dow = has(daysOfWeek, t.getDayOfWeek().getValue() % 7);
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
    }

    private boolean someMonthHasChosenDay() {
        for (int m = 1; m <= 12; m++) {
            if (has(months, m) && Long.numberOfTrailingZeros(daysOfMonth) <= Month.of(m).maxLength()) {
                return true;
            }
        }
        return false;
    }

    /** The instant a matching local time fires: its first occurrence, or the end of a gap. */
    private static Instant firstInstant(ZoneRules rules, LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        Instant first = local.toInstant(offsets.get(0));
        for (ZoneOffset offset : offsets) {
            Instant candidate = local.toInstant(offset);
            if (candidate.isBefore(first)) {
                first = candidate;
            }
        }
        return first;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private static long parseField(Field field, String text, int offset) {
        long bits = 0;
        int itemStart = 0;
        for (String item : text.split(",", -1)) {
            int at = offset + itemStart;
            if (item.isEmpty()) {
                throw new TimeSyntaxException(field.name + " field `" + text + "` has an empty list"
                        + " item: put a value between the commas", offset, text.length());
            }
            bits |= parseItem(field, item, at);
            itemStart += item.length() + 1;
        }
        return bits;
    }

    private static long parseItem(Field field, String item, int at) {
        int slash = item.indexOf('/');
        String range = slash < 0 ? item : item.substring(0, slash);
        int step = 1;
        if (slash >= 0) {
            String stepText = item.substring(slash + 1);
            if (stepText.isEmpty() || !stepText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new TimeSyntaxException(field.name + " field `" + item + "` needs a number"
                        + " after the /, such as */15", at, item.length());
            }
            step = stepText.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(stepText);
            if (step == 0) {
                throw new TimeSyntaxException(field.name + " field `" + item + "` has a step of 0:"
                        + " use a step of 1 or more, such as */15", at + slash + 1, stepText.length());
            }
        }
        int low;
        int high;
        if (range.isEmpty()) {
            throw new TimeSyntaxException(field.name + " field `" + item + "` needs * or a range"
                    + " before the /, such as */15", at, item.length());
        } else if (range.equals("*")) {
            low = field.min;
            high = field.max;
        } else {
            int dash = range.indexOf('-');
            if (dash < 0) {
                low = value(field, range, at);
                high = slash < 0 ? low : field.max;
            } else {
                if (dash == 0 || dash == range.length() - 1) {
                    throw new TimeSyntaxException(field.name + " field `" + range + "` needs a value"
                            + " on both sides of the -, such as 1-5", at, range.length());
                }
                low = value(field, range.substring(0, dash), at);
                high = value(field, range.substring(dash + 1), at + dash + 1);
                if (field == DAY_OF_WEEK && high == 0 && low > 0) {
                    high = 7;
                }
                if (high < low) {
                    throw new TimeSyntaxException(field.name + " field `" + range + "` runs"
                            + " backwards: write the smaller value first, or a list such as "
                            + low + "-" + field.max + "," + field.min + "-" + high, at, range.length());
                }
            }
        }
        long bits = 0;
        for (long v = low; v <= high; v += step) {
            bits |= 1L << v;
        }
        return bits;
    }

    private static int value(Field field, String text, int at) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int v = text.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(text);
            if (v < field.min || v > field.max) {
                throw new TimeSyntaxException(field.name + " field `" + text + "` is out of range "
                        + field.min + "-" + field.max, at, text.length());
            }
            return v;
        }
        int index = field.names.indexOf(text.toUpperCase(Locale.ROOT));
        if (index >= 0) {
            return index + field.min;
        }
        throw new TimeSyntaxException(field.name + " field `" + text + "` is not a valid value:"
                + " use " + field.hint + ", *, lists, ranges and steps such as 1-5/2",
                at, text.length());
    }
}
