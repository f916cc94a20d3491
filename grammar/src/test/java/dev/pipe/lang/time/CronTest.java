package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId UTC = ZoneId.of("UTC");

    static ZonedDateTime at(String local, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), zone);
    }

    /** The firings after {@code from}, as ISO offset date-times, {@code count} of them. */
    static List<String> firings(String cron, ZonedDateTime from, int count) {
        Cron c = Cron.parse(cron);
        List<String> out = new ArrayList<>();
        ZonedDateTime t = from;
        for (int i = 0; i < count; i++) {
            t = c.next(t);
            out.add(t.toOffsetDateTime().toString());
        }
        return out;
    }

    @Test
    void dailyAtTwoAcrossAYearInNewYorkFiresOncePerDay() {
        Cron cron = Cron.parse("0 2 * * *");
        ZonedDateTime t = at("2026-01-01T00:00", NEW_YORK);
        Set<LocalDate> days = new HashSet<>();
        int count = 0;
        while (true) {
            t = cron.next(t);
            if (t.getYear() != 2026) {
                break;
            }
            count++;
            assertTrue(days.add(t.toLocalDate()), "fired twice on " + t.toLocalDate());
            LocalTime expected = t.toLocalDate().equals(LocalDate.of(2026, 3, 8))
                    ? LocalTime.of(3, 0) : LocalTime.of(2, 0);
            assertEquals(expected, t.toLocalTime(), t.toString());
        }
        assertEquals(365, count);
        assertEquals(at("2027-01-01T02:00", NEW_YORK), t);
    }

    @Test
    void springForwardGapFiresOnceAtTheEndOfTheGap() {
        assertEquals(List.of("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00"),
                firings("30 2 * * *", at("2026-03-08T01:00", NEW_YORK), 2));
        assertEquals(List.of("2026-03-08T01:45-05:00", "2026-03-08T03:00-04:00",
                        "2026-03-08T03:15-04:00"),
                firings("*/15 * * * *", at("2026-03-08T01:40", NEW_YORK), 3));
        assertEquals(List.of("2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"),
                firings("30 2 * * *", at("2026-03-29T00:00", BERLIN), 2));
    }

    @Test
    void fallBackOverlapFiresOnceAtTheFirstOccurrence() {
        assertEquals(List.of("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                firings("30 1 * * *", at("2026-11-01T00:00", NEW_YORK), 2));
        ZonedDateTime secondOneTen = at("2026-11-01T01:10", NEW_YORK).withLaterOffsetAtOverlap();
        assertEquals(List.of("2026-11-02T01:30-05:00"), firings("30 1 * * *", secondOneTen, 1));
        assertEquals(List.of("2026-11-01T01:00-04:00", "2026-11-01T02:00-05:00",
                        "2026-11-01T03:00-05:00"),
                firings("0 * * * *", at("2026-11-01T00:30", NEW_YORK), 3));
        assertEquals(List.of("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"),
                firings("30 2 * * *", at("2026-10-25T00:00", BERLIN), 2));
    }

    @Test
    void februaryTheTwentyNinthWaitsForALeapYear() {
        assertEquals(List.of("2028-02-29T00:00Z", "2032-02-29T00:00Z"),
                firings("0 0 29 2 *", at("2025-01-01T00:00", UTC), 2));
        assertEquals(List.of("2104-02-29T00:00Z"),
                firings("0 0 29 2 *", at("2096-02-29T00:00", UTC), 1));
        // Both restricted: Mondays in February, or the 29th.
        assertEquals(List.of("2028-02-07T12:00Z", "2028-02-14T12:00Z", "2028-02-21T12:00Z",
                        "2028-02-28T12:00Z", "2028-02-29T12:00Z", "2029-02-05T12:00Z"),
                firings("0 12 29 2 MON", at("2028-02-01T00:00", UTC), 6));
    }

    @Test
    void rareCombinationsAreFoundAcrossCenturies() {
        // */7 starts with *, so this means Feb 29 that is also a Sunday: 40 years apart here.
        assertEquals(List.of("2128-02-29T00:00Z"),
                firings("0 0 29 2 */7", at("2088-02-29T00:00", UTC), 1));
    }

    @Test
    void bothRestrictedDayFieldsMatchEither() {
        assertEquals(List.of("2026-04-03T00:00Z", "2026-04-10T00:00Z", "2026-04-13T00:00Z",
                        "2026-04-17T00:00Z", "2026-04-24T00:00Z", "2026-05-01T00:00Z"),
                firings("0 0 13 * 5", at("2026-04-01T00:00", UTC), 6));
        // 1-31 does not start with *, so "or Monday" adds nothing: every day fires.
        assertEquals(List.of("2026-04-02T00:00Z", "2026-04-03T00:00Z"),
                firings("0 0 1-31 * 1", at("2026-04-01T00:00", UTC), 2));
    }

    @Test
    void aDayFieldStartingWithStarMeansBothMustMatch() {
        assertEquals(List.of("2026-05-11T00:00Z", "2026-06-01T00:00Z", "2026-08-31T00:00Z",
                        "2026-09-21T00:00Z", "2026-12-21T00:00Z"),
                firings("0 0 */10 * 1", at("2026-01-01T00:00", UTC), 5));
    }

    @Test
    void namesRangesStepsAndSunday() {
        assertEquals(List.of("2026-01-01T09:00Z", "2026-01-02T09:00Z", "2026-01-05T09:00Z"),
                firings("0 9 * jan-MAR Mon-Fri", at("2026-01-01T00:00", UTC), 3));
        assertEquals(firings("0 0 * * 0", at("2026-01-01T00:00", UTC), 3),
                firings("0 0 * * 7", at("2026-01-01T00:00", UTC), 3));
        assertEquals(List.of("2026-01-02T00:00Z", "2026-01-03T00:00Z", "2026-01-04T00:00Z",
                        "2026-01-09T00:00Z"),
                firings("0 0 * * FRI-SUN", at("2026-01-01T00:00", UTC), 4));
        assertEquals(List.of("2026-01-01T00:10Z", "2026-01-01T00:30Z", "2026-01-01T00:50Z",
                        "2026-01-01T01:10Z"),
                firings("10-50/20 * * * *", at("2026-01-01T00:00", UTC), 4));
        assertEquals(List.of("2026-01-01T00:45Z", "2026-01-01T01:05Z"),
                firings("5/20,45 * * * *", at("2026-01-01T00:30", UTC), 2));
    }

    @Test
    void nextIsStrictlyAfterAndIgnoresSeconds() {
        assertEquals(List.of("2026-01-02T02:00Z"),
                firings("0 2 * * *", at("2026-01-01T02:00", UTC), 1));
        assertEquals(List.of("2026-01-02T02:00Z"),
                firings("0 2 * * *", at("2026-01-01T02:00:30", UTC), 1));
        assertEquals(List.of("2026-01-01T02:00Z"),
                firings("0 2 * * *", at("2026-01-01T01:59:59.999", UTC), 1));
    }

    @ParameterizedTest
    @CsvSource({
        "@yearly, 0 0 1 1 *", "@annually, 0 0 1 1 *", "@monthly, 0 0 1 * *", "@weekly, 0 0 * * 0",
        "@daily, 0 0 * * *", "@midnight, 0 0 * * *", "@hourly, 0 * * * *", "@DAILY, 0 0 * * *"
    })
    void macrosExpand(String macro, String expansion) {
        ZonedDateTime from = at("2026-05-17T13:17", UTC);
        assertEquals(firings(expansion, from, 5), firings(macro, from, 5));
        assertEquals(macro, Cron.parse(macro).toString());
    }

    @Test
    void toStringIsTheOriginalText() {
        assertEquals(" 0  2 * *\t* ", Cron.parse(" 0  2 * *\t* ").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'' | the cron expression is empty: write 5 fields (minute hour day-of-month month day-of-week), such as `0 2 * * *`, or a macro such as @daily | 0 | 0",
        "0 2 * * | a cron expression has 5 fields (minute hour day-of-month month day-of-week); `0 2 * *` has 4 | 0 | 7",
        "' 0 2 * * * *' | a cron expression has 5 fields (minute hour day-of-month month day-of-week); `0 2 * * * *` has 6 | 1 | 11",
        "@fortnightly | `@fortnightly` is not a cron macro: use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly | 0 | 12",
        "@reboot | @reboot is not supported because a pipeline schedule needs a time: use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly | 0 | 7",
        "61 * * * * | minute field `61` is out of range 0-59 | 0 | 2",
        "0 24 * * * | hour field `24` is out of range 0-23 | 2 | 2",
        "0 0 0 * * | day-of-month field `0` is out of range 1-31 | 4 | 1",
        "0 0 * 13 * | month field `13` is out of range 1-12 | 6 | 2",
        "0 0 * * 8 | day-of-week field `8` is out of range 0-7 | 8 | 1",
        "0 0 * * 1,99999 | day-of-week field `99999` is out of range 0-7 | 10 | 5",
        "0 0 * FOO * | month field `FOO` is not a valid value: use 1-12 or JAN-DEC, *, lists, ranges and steps such as 1-5/2 | 6 | 3",
        "0 0 * * FUN | day-of-week field `FUN` is not a valid value: use 0-7 or SUN-SAT, *, lists, ranges and steps such as 1-5/2 | 8 | 3",
        "JAN * * * * | minute field `JAN` is not a valid value: use 0-59, *, lists, ranges and steps such as 1-5/2 | 0 | 3",
        "1,,2 * * * * | minute field `1,,2` has an empty list item: put a value between the commas | 0 | 4",
        "*/x * * * * | minute field `*/x` needs a number after the /, such as */15 | 0 | 3",
        "*/ * * * * | minute field `*/` needs a number after the /, such as */15 | 0 | 2",
        "0 */0 * * * | hour field `*/0` has a step of 0: use a step of 1 or more, such as */15 | 4 | 1",
        "/5 * * * * | minute field `/5` needs * or a range before the /, such as */15 | 0 | 2",
        "0 1- * * * | hour field `1-` needs a value on both sides of the -, such as 1-5 | 2 | 2",
        "-1 * * * * | minute field `-1` needs a value on both sides of the -, such as 1-5 | 0 | 2",
        "0 22-2 * * * | hour field `22-2` runs backwards: write the smaller value first, or a list such as 22-23,0-2 | 2 | 4",
        "0 0 * * SAT-MON | day-of-week field `SAT-MON` runs backwards: write the smaller value first, or a list such as 6-7,0-1 | 8 | 7",
        "0 0 30 2 * | `0 0 30 2 *` never fires: none of its months has the day-of-month `30` | 4 | 2",
        "0 0 31 4,6,9,11 * | `0 0 31 4,6,9,11 *` never fires: none of its months has the day-of-month `31` | 4 | 2",
    })
    void rejectsWithAMessageNamingTheField(String text, String message, int offset, int length) {
        TimeSyntaxException e = assertThrows(TimeSyntaxException.class, () -> Cron.parse(text));
        assertEquals(message, e.getMessage());
        assertEquals(offset, e.offset(), "offset");
        assertEquals(length, e.length(), "length");
    }

    @Test
    void impossibleDaysAreFineWhenTheDayOfWeekAlsoDecides() {
        assertEquals(List.of("2026-02-02T00:00Z"),
                firings("0 0 30 2 MON", at("2026-02-01T00:00", UTC), 1));
        assertEquals(List.of("2028-02-29T00:00Z"),
                firings("0 0 29-31 2 *", at("2026-03-01T00:00", UTC), 1));
    }
}
