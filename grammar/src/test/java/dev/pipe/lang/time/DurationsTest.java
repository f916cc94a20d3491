package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0s, PT0S", "0ms, PT0S", "90s, PT1M30S", "10m, PT10M", "1h30m, PT1H30M", "1d, PT24H",
        "1.5h, PT1H30M", "1.5s, PT1.5S", "250ms, PT0.25S", "2d3h4m5s6ms, PT51H4M5.006S",
        "007s, PT7S", "1h0m, PT1H", "0.001s, PT0.001S", "1.25m, PT1M15S", "1h1.5m, PT1H1M30S"
    })
    void parsesLiterals(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s", "PT90S, 1m30s", "PT24H, 1d", "PT36H, 1d12h", "PT2M, 2m", "PT1.5S, 1s500ms",
        "PT0.007S, 7ms", "PT1H, 1h", "PT25H1M1.001S, 1d1h1m1s1ms"
    })
    void formatsCanonically(String iso, String text) {
        assertEquals(text, Durations.format(Duration.parse(iso)));
    }

    @Test
    void theLargestDurationRoundTrips() {
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_000_000);
        assertEquals(max, Durations.parse(Durations.format(max)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10x | `10x` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 3",
        "s | `s` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 1",
        "1.s | `1.s` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 3",
        "-5s | `-5s` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 3",
        "1h 30m | `1h 30m` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 6",
        "1ms5 | `1ms5` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 4",
        "10min | `10min` is not a duration: use a number followed by ms, s, m, h or d, such as 90s or 10m | 0 | 5",
        "10 | `10` needs a unit, such as 10s or 10m | 0 | 2",
        "1h30 | `1h30` needs a unit after 30, such as 1h30m | 2 | 2",
        "10S | `10S` has the upper-case unit S: write units in lower case, such as 10s or 10m | 2 | 1",
        "1h1h | `1h1h` repeats the unit h: give each unit once, such as 1h30m | 3 | 1",
        "30m1h | `30m1h` has its units out of order: write the largest unit first, such as 1h30m rather than 30m1h | 4 | 1",
        "0.5ms | `0.5ms` is more precise than a millisecond: round it to whole milliseconds, such as 1.5s or 1500ms | 0 | 5",
        "99999999999999999999d | `99999999999999999999d` is too long to be a duration: use a value below about 292 billion years | 0 | 21",
    })
    void rejectsWithAMessageAndAPlace(String text, String message, int offset, int length) {
        TimeSyntaxException e = assertThrows(TimeSyntaxException.class, () -> Durations.parse(text));
        assertEquals(message, e.getMessage());
        assertEquals(offset, e.offset());
        assertEquals(length, e.length());
    }

    @Test
    void rejectsTheEmptyText() {
        TimeSyntaxException e = assertThrows(TimeSyntaxException.class, () -> Durations.parse(""));
        assertEquals("an empty text is not a duration: use a number followed by ms, s, m, h or d,"
                + " such as 90s or 10m", e.getMessage());
    }

    @Test
    void formatRefusesWhatNoLiteralCanSay() {
        assertEquals("cannot write the negative duration PT-1S as a literal",
                assertThrows(IllegalArgumentException.class,
                        () -> Durations.format(Duration.ofSeconds(-1))).getMessage());
        assertEquals("cannot write PT0.0000005S as a literal: literals have millisecond precision",
                assertThrows(IllegalArgumentException.class,
                        () -> Durations.format(Duration.ofNanos(500))).getMessage());
    }
}
