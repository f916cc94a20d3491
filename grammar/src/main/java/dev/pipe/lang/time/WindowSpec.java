package dev.pipe.lang.time;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The days and hours of a deployment window, as written in {@code window "Tue-Thu 10:00-14:00"}.
 *
 * <h2>Syntax</h2>
 * <pre>
 * spec    = clause { ";" clause }
 * clause  = days [ hours ]
 * days    = "daily" | item { "," item }
 * item    = day [ "-" day ]
 * day     = "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun"     (any letter case)
 * hours   = time "-" time
 * time    = H:MM or HH:MM on a 24-hour clock, 00:00 to 23:59; 24:00 is allowed as an end time
 * </pre>
 * Spaces are allowed between all parts ({@code Mon, Wed 09:00 - 12:00}).
 *
 * <h2>Meaning</h2>
 * <ul>
 *   <li>A range {@code Tue-Thu} includes both ends; it may wrap around the week, so
 *       {@code Fri-Mon} is Friday, Saturday, Sunday and Monday ({@code Mon-Mon} is just Monday).
 *       List items may be ranges: {@code Mon,Wed-Fri}. {@code daily} means all seven days.</li>
 *   <li>Hours are a half-open interval: the window opens at the start time (inclusive) and closes
 *       at the end time (exclusive). Without hours, the clause covers the whole day, the same as
 *       {@code 00:00-24:00}.</li>
 *   <li>When the end time is not after the start time, the interval crosses midnight: the day
 *       names the day it starts on, so {@code Fri 22:00-02:00} is open from Friday 22:00 until
 *       Saturday 02:00, and {@code Mon 09:00-09:00} is open for 24 hours from Monday 09:00.</li>
 *   <li>The window is open when any clause is open: {@code Mon-Fri 09:00-17:00; Sat 10:00-12:00}.</li>
 * </ul>
 * Times are wall-clock times in the window's zone; see {@link Window} for zones, freezes and
 * daylight-saving changes.
 *
 * <p>{@link #parse} reports mistakes with a {@link TimeSyntaxException} whose offset and length
 * mark the bad part of the spec string.
 */
public final class WindowSpec {

    private static final String DAY_NAMES = "Mon, Tue, Wed, Thu, Fri, Sat or Sun, or daily";
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    /**
     * One clause: a set of days (bit i = {@code DayOfWeek.values()[i]}), start and end minute of
     * the day (end 1..1440, end &lt;= start means overnight), and how to describe it.
     */
    record Clause(int days, int start, int end, String daysText, boolean hoursGiven) {

        boolean hasDay(DayOfWeek day) {
            return (days & (1 << day.ordinal())) != 0;
        }

        boolean overnight() {
            return end <= start;
        }

        boolean contains(DayOfWeek day, long nanoOfDay) {
            long s = start * NANOS_PER_MINUTE;
            long e = end * NANOS_PER_MINUTE;
            if (!overnight()) {
                return hasDay(day) && s <= nanoOfDay && nanoOfDay < e;
            }
            return (hasDay(day) && nanoOfDay >= s) || (hasDay(day.minus(1)) && nanoOfDay < e);
        }

        String describe() {
            if (!hoursGiven) {
                return days == 0x7F ? "every day, all day" : daysText + " all day";
            }
            return daysText + " " + hhmm(start) + "\u2013" + hhmm(end)
                    + (overnight() ? " (overnight)" : "");
        }
    }

    private final String text;
    private final List<Clause> clauses;

    private WindowSpec(String text, List<Clause> clauses) {
        this.text = text;
        this.clauses = List.copyOf(clauses);
    }

    /**
     * Parses a window spec (syntax in the class comment).
     *
     * @throws TimeSyntaxException with the offset and length of the bad part
     */
    public static WindowSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new TimeSyntaxException("the window is empty: write days and optional hours,"
                    + " such as `Tue-Thu 10:00-14:00`", 0, text.length());
        }
        List<Clause> clauses = new ArrayList<>();
        int clauseStart = 0;
        while (true) {
            int semicolon = text.indexOf(';', clauseStart);
            int clauseEnd = semicolon < 0 ? text.length() : semicolon;
            if (text.substring(clauseStart, clauseEnd).isBlank()) {
                int at = clauseEnd < text.length() ? clauseEnd : clauseStart - 1;
                throw new TimeSyntaxException("the window has an empty clause: remove the extra `;`",
                        at, 1);
            }
            clauses.add(new Parser(text, clauseStart, clauseEnd).clause());
            if (semicolon < 0) {
                return new WindowSpec(text, clauses);
            }
            clauseStart = semicolon + 1;
        }
    }

    /** Whether the local date-time falls inside some clause's interval. */
    boolean contains(LocalDateTime local) {
        long nanoOfDay = local.toLocalTime().toNanoOfDay();
        for (Clause clause : clauses) {
            if (clause.contains(local.getDayOfWeek(), nanoOfDay)) {
                return true;
            }
        }
        return false;
    }

    List<Clause> clauses() {
        return clauses;
    }

    /**
     * A normalised human description without zone, such as {@code Tue–Thu 10:00–14:00} or
     * {@code Mon, Wed 09:00–12:00; Fri 22:00–02:00 (overnight)}.
     */
    public String describe() {
        return clauses.stream().map(Clause::describe).collect(Collectors.joining("; "));
    }

    /** The spec exactly as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSpec other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static String hhmm(int minuteOfDay) {
        return String.format(Locale.ROOT, "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60);
    }

    /** A cursor over one clause, {@code [pos, end)} of the whole text. */
    private static final class Parser {
        private final String text;
        private final int end;
        private int pos;

        Parser(String text, int start, int end) {
            this.text = text;
            this.pos = start;
            this.end = end;
        }

        Clause clause() {
            skipSpaces();
            int daysStart = pos;
            if (Character.isDigit(peek())) {
                int at = pos;
                String token = token();
                throw new TimeSyntaxException("`" + token + "` needs days before it, such as `daily "
                        + token + "` or `Mon-Fri " + token + "`", at, token.length());
            }
            int days = 0;
            List<String> items = new ArrayList<>();
            String word = word();
            if (word.equalsIgnoreCase("daily")) {
                days = 0x7F;
                items.add("daily");
                skipSpaces();
                if (peek() == ',' || peek() == '-') {
                    throw new TimeSyntaxException("`daily` already means every day, so it cannot be"
                            + " part of a list or range", daysStart, pos + 1 - daysStart);
                }
            } else {
                while (true) {
                    int itemStart = pos - word.length();
                    DayOfWeek from = day(word, itemStart);
                    DayOfWeek to = from;
                    skipSpaces();
                    if (peek() == '-') {
                        pos++;
                        skipSpaces();
                        int toAt = pos;
                        to = day(expectWord("`" + text.substring(itemStart, pos).strip()
                                + "` needs a day after the -, such as Tue-Thu", itemStart), toAt);
                    }
                    for (DayOfWeek d = from; ; d = d.plus(1)) {
                        days |= 1 << d.ordinal();
                        if (d == to) {
                            break;
                        }
                    }
                    items.add(from == to ? name(from) : name(from) + "\u2013" + name(to));
                    skipSpaces();
                    if (peek() != ',') {
                        break;
                    }
                    pos++;
                    skipSpaces();
                    word = expectWord("`" + text.substring(daysStart, pos).strip()
                            + "` needs a day after the comma, such as Mon,Wed", daysStart);
                    if (word.equalsIgnoreCase("daily")) {
                        throw new TimeSyntaxException("`daily` already means every day, so it cannot"
                                + " be part of a list or range", pos - word.length(), word.length());
                    }
                }
            }
            String daysText = String.join(", ", items);
            skipSpaces();
            if (pos == end) {
                return new Clause(days, 0, 1440, daysText, false);
            }
            if (!Character.isDigit(peek())) {
                int at = pos;
                String token = token();
                throw new TimeSyntaxException("unexpected `" + token + "` after the days: join days"
                        + " with a comma, such as Mon,Wed, or separate clauses with `;`",
                        at, token.length());
            }
            int timesStart = pos;
            int start = time(true);
            skipSpaces();
            if (peek() != '-') {
                throw new TimeSyntaxException("`" + text.substring(timesStart, pos).strip()
                        + "` needs an end time, such as " + hhmm(start) + "-"
                        + hhmm((start + 240) % 1440), timesStart,
                        text.substring(timesStart, pos).strip().length());
            }
            pos++;
            skipSpaces();
            if (pos == end) {
                throw new TimeSyntaxException("`" + text.substring(timesStart, pos).strip()
                        + "` needs an end time after the -, such as " + hhmm(start) + "-"
                        + hhmm((start + 240) % 1440), timesStart,
                        text.substring(timesStart, pos).strip().length());
            }
            int stop = time(false);
            skipSpaces();
            if (pos < end) {
                int at = pos;
                String token = token();
                throw new TimeSyntaxException("unexpected `" + token + "` after the hours: separate"
                        + " clauses with `;`, such as `Mon 09:00-12:00; Fri 14:00-16:00`",
                        at, token.length());
            }
            return new Clause(days, start, stop, daysText, true);
        }

        private int time(boolean isStart) {
            int at = pos;
            while (pos < end && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == ':')) {
                pos++;
            }
            String token = text.substring(at, pos);
            if (token.isEmpty()) {
                token = token();
            }
            if (!token.matches("[0-9]{1,2}:[0-9]{2}")) {
                throw new TimeSyntaxException("`" + token + "` is not a time: use HH:MM on a 24-hour"
                        + " clock, such as 09:00 or 17:30", at, token.length());
            }
            int colon = token.indexOf(':');
            int hour = Integer.parseInt(token.substring(0, colon));
            int minute = Integer.parseInt(token.substring(colon + 1));
            if (hour > 24 || minute > 59 || (hour == 24 && minute != 0)) {
                throw new TimeSyntaxException("`" + token + "` is not a time of day: use 00:00 to"
                        + " 23:59, or 24:00 as an end time", at, token.length());
            }
            if (hour == 24 && isStart) {
                throw new TimeSyntaxException("a window cannot start at 24:00: start at 00:00 instead",
                        at, token.length());
            }
            return hour * 60 + minute;
        }

        private DayOfWeek day(String word, int at) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (name(d).equalsIgnoreCase(word)) {
                    return d;
                }
            }
            if (word.equalsIgnoreCase("daily")) {
                throw new TimeSyntaxException("`daily` already means every day, so it cannot be part"
                        + " of a list or range", at, word.length());
            }
            String bad = word.isEmpty() ? tokenAt(at) : word;
            throw new TimeSyntaxException("`" + bad + "` is not a day: use " + DAY_NAMES,
                    at, bad.length());
        }

        private String expectWord(String message, int from) {
            String word = word();
            if (word.isEmpty()) {
                throw new TimeSyntaxException(message, from,
                        text.substring(from, pos).stripTrailing().length());
            }
            return word;
        }

        private String word() {
            int at = pos;
            while (pos < end && Character.isLetter(text.charAt(pos))) {
                pos++;
            }
            return text.substring(at, pos);
        }

        /** The run of non-space characters at the cursor (at least one character), consumed. */
        private String token() {
            String token = tokenAt(pos);
            pos += token.length();
            return token;
        }

        private String tokenAt(int at) {
            int i = at;
            while (i < end && (i == at || !Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            return text.substring(at, i);
        }

        private char peek() {
            return pos < end ? text.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (pos < end && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }

    static String name(DayOfWeek day) {
        String full = day.name();
        return full.charAt(0) + full.substring(1, 3).toLowerCase(Locale.ROOT);
    }
}
