package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WindowSpecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Tue-Thu 10:00-14:00 | Tue–Thu 10:00–14:00",
        "mon, wed-FRI 9:00 - 12:30; Sat | Mon, Wed–Fri 09:00–12:30; Sat all day",
        "daily | every day, all day",
        "DAILY 09:00-17:00 | daily 09:00–17:00",
        "Fri 22:00-02:00 | Fri 22:00–02:00 (overnight)",
        "Fri-Mon | Fri–Mon all day",
        "Mon 20:00-24:00 | Mon 20:00–24:00",
        "Mon-Sun | every day, all day",
        "Sat,Sun 00:00-00:00 | Sat, Sun 00:00–00:00 (overnight)",
        "Tue-Thu10:00-14:00 | Tue–Thu 10:00–14:00",
    })
    void parsesAndDescribes(String text, String description) {
        WindowSpec spec = WindowSpec.parse(text);
        assertEquals(description, spec.describe());
        assertEquals(text, spec.toString());
        assertEquals(WindowSpec.parse(text), spec);
    }

    @Test
    void containsUsesHalfOpenIntervalsAndOvernightSpill() {
        WindowSpec spec = WindowSpec.parse("Fri 22:00-02:00; Mon 09:00-09:00; Wed 10:00-24:00");
        // 2026-01-09 is a Friday.
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-09T21:59:59.999999999")));
        assertTrue(spec.contains(LocalDateTime.parse("2026-01-09T22:00")));
        assertTrue(spec.contains(LocalDateTime.parse("2026-01-10T01:59:59")));
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-10T02:00")));
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-10T22:00")));
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-09T01:00")));
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-12T08:59")));
        assertTrue(spec.contains(LocalDateTime.parse("2026-01-12T09:00")));
        assertTrue(spec.contains(LocalDateTime.parse("2026-01-13T08:59")));
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-13T09:00")));
        assertTrue(spec.contains(LocalDateTime.parse("2026-01-14T23:59:59.999999999")));
        assertFalse(spec.contains(LocalDateTime.parse("2026-01-15T00:00")));
    }

    @Test
    void rangesWrapAroundTheWeek() {
        WindowSpec spec = WindowSpec.parse("Fri-Mon 09:00-17:00");
        // 2026-01-05 is a Monday.
        boolean[] expected = {true, false, false, false, true, true, true};
        for (int i = 0; i < 7; i++) {
            LocalDateTime noon = LocalDateTime.parse("2026-01-05T12:00").plusDays(i);
            assertEquals(expected[i], spec.contains(noon), noon.getDayOfWeek().toString());
        }
        WindowSpec single = WindowSpec.parse("Mon-Mon");
        assertTrue(single.contains(LocalDateTime.parse("2026-01-05T12:00")));
        assertFalse(single.contains(LocalDateTime.parse("2026-01-06T12:00")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'' | the window is empty: write days and optional hours, such as `Tue-Thu 10:00-14:00` | 0 | 0",
        "'   ' | the window is empty: write days and optional hours, such as `Tue-Thu 10:00-14:00` | 0 | 3",
        "Mon;;Tue | the window has an empty clause: remove the extra `;` | 4 | 1",
        "Mon; | the window has an empty clause: remove the extra `;` | 3 | 1",
        ";Mon | the window has an empty clause: remove the extra `;` | 0 | 1",
        "10:00-14:00 | `10:00-14:00` needs days before it, such as `daily 10:00-14:00` or `Mon-Fri 10:00-14:00` | 0 | 11",
        "Monday 10:00-12:00 | `Monday` is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun, or daily | 0 | 6",
        "* 10:00-12:00 | `*` is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun, or daily | 0 | 1",
        "Mon 09:00-10:00; Frii 10:00-11:00 | `Frii` is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun, or daily | 17 | 4",
        "Tue-Thur | `Thur` is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun, or daily | 4 | 4",
        "daily,Mon | `daily` already means every day, so it cannot be part of a list or range | 0 | 6",
        "daily - Mon | `daily` already means every day, so it cannot be part of a list or range | 0 | 7",
        "Mon,daily | `daily` already means every day, so it cannot be part of a list or range | 4 | 5",
        "Mon-daily | `daily` already means every day, so it cannot be part of a list or range | 4 | 5",
        "Tue- 10:00-12:00 | `Tue-` needs a day after the -, such as Tue-Thu | 0 | 4",
        "Mon, 10:00-12:00 | `Mon,` needs a day after the comma, such as Mon,Wed | 0 | 4",
        "Mon Wed | unexpected `Wed` after the days: join days with a comma, such as Mon,Wed, or separate clauses with `;` | 4 | 3",
        "Mon 10 | `10` is not a time: use HH:MM on a 24-hour clock, such as 09:00 or 17:30 | 4 | 2",
        "Mon 1000-1200 | `1000` is not a time: use HH:MM on a 24-hour clock, such as 09:00 or 17:30 | 4 | 4",
        "Mon 25:00-26:00 | `25:00` is not a time of day: use 00:00 to 23:59, or 24:00 as an end time | 4 | 5",
        "Mon 10:60-11:00 | `10:60` is not a time of day: use 00:00 to 23:59, or 24:00 as an end time | 4 | 5",
        "Mon 10:00-24:30 | `24:30` is not a time of day: use 00:00 to 23:59, or 24:00 as an end time | 10 | 5",
        "Mon 24:00-02:00 | a window cannot start at 24:00: start at 00:00 instead | 4 | 5",
        "Mon 10:00 | `10:00` needs an end time, such as 10:00-14:00 | 4 | 5",
        "Mon 22:00 23:00 | `22:00` needs an end time, such as 22:00-02:00 | 4 | 5",
        "Mon 10:00- | `10:00-` needs an end time after the -, such as 10:00-14:00 | 4 | 6",
        "Mon 10:00-noon | `noon` is not a time: use HH:MM on a 24-hour clock, such as 09:00 or 17:30 | 10 | 4",
        "Mon 10:00-12:00 Tue | unexpected `Tue` after the hours: separate clauses with `;`, such as `Mon 09:00-12:00; Fri 14:00-16:00` | 16 | 3",
    })
    void rejectsWithAMessageAndTheOffsetOfTheBadPart(
            String text, String message, int offset, int length) {
        TimeSyntaxException e = assertThrows(TimeSyntaxException.class, () -> WindowSpec.parse(text));
        assertEquals(message, e.getMessage());
        assertEquals(offset, e.offset(), "offset");
        assertEquals(length, e.length(), "length");
    }
}
