package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FreezeAndZoneTest {

    @Test
    void parsesSingleDatesAndRanges() {
        FreezePeriod single = FreezePeriod.parse("2026-07-04", null);
        assertEquals(FreezePeriod.on(LocalDate.of(2026, 7, 4)), single);
        assertEquals("2026-07-04", single.describe());
        FreezePeriod range = FreezePeriod.parse("2026-12-24", "2027-01-02");
        assertEquals("2026-12-24 to 2027-01-02", range.describe());
        assertTrue(range.contains(LocalDate.of(2026, 12, 24)));
        assertTrue(range.contains(LocalDate.of(2027, 1, 2)));
        assertFalse(range.contains(LocalDate.of(2026, 12, 23)));
        assertFalse(range.contains(LocalDate.of(2027, 1, 3)));
        assertEquals(LocalDate.of(2028, 2, 29), FreezePeriod.parse("2028-02-29", null).from());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "'' | NULL | the freeze date is empty: use YYYY-MM-DD, such as 2026-12-24",
        "2026-12-24 | ' ' | the freeze date is empty: use YYYY-MM-DD, such as 2026-12-24",
        "2026/12/24 | NULL | `2026/12/24` is not a date: use YYYY-MM-DD, such as 2026-12-24",
        "2026-1-5 | NULL | `2026-1-5` is not a date: use YYYY-MM-DD, such as 2026-12-24",
        "2026-12-24 | 27-01-02 | `27-01-02` is not a date: use YYYY-MM-DD, such as 2026-12-24",
        "2026-13-01 | NULL | `2026-13-01` is not a real date: months go from 01 to 12",
        "2026-00-10 | NULL | `2026-00-10` is not a real date: months go from 01 to 12",
        "2026-02-29 | NULL | `2026-02-29` is not a real date: February 2026 has days 01 to 28",
        "2028-02-30 | NULL | `2028-02-30` is not a real date: February 2028 has days 01 to 29",
        "2026-01-00 | NULL | `2026-01-00` is not a real date: January 2026 has days 01 to 31",
        "2027-01-02 | 2026-12-24 | the freeze from 2027-01-02 to 2026-12-24 ends before it starts: put the earlier date first",
    })
    void rejectsBadFreezes(String from, String to, String message) {
        TimeSyntaxException e = assertThrows(TimeSyntaxException.class, () -> FreezePeriod.parse(from, to));
        assertEquals(message, e.getMessage());
        assertEquals(-1, e.offset());
        assertEquals(0, e.length());
    }

    @Test
    void resolvesZones() {
        assertEquals(ZoneId.of("America/New_York"), Window.zone("America/New_York"));
        assertEquals(ZoneId.of("UTC"), Window.zone("UTC"));
        assertEquals(ZoneOffset.ofHours(2), Window.zone("+02:00"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "America/New_Yrok | unknown time zone `America/New_Yrok`; did you mean `America/New_York`?",
        "america/new_york | unknown time zone `america/new_york`; did you mean `America/New_York`?",
        "Europe/Berln | unknown time zone `Europe/Berln`; did you mean `Europe/Berlin`?",
        "Mars/Olympus_Mons | unknown time zone `Mars/Olympus_Mons`: use a region name such as `America/New_York` or `Europe/Berlin`, or `UTC`",
        "'  ' | the time zone is empty: use a region name such as `America/New_York` or `Europe/Berlin`, or `UTC`",
    })
    void rejectsUnknownZonesWithASuggestion(String id, String message) {
        TimeSyntaxException e = assertThrows(TimeSyntaxException.class, () -> Window.zone(id));
        assertEquals(message, e.getMessage());
        assertEquals(0, e.offset());
        assertEquals(id.length(), e.length());
    }
}
