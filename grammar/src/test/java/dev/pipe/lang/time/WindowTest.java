package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId UTC = ZoneId.of("UTC");

    static Window window(String spec, ZoneId zone, FreezePeriod... freezes) {
        return new Window(WindowSpec.parse(spec), zone, List.of(freezes));
    }

    /** The instant showing {@code local} in {@code zone} (earlier offset in an overlap). */
    static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    static Optional<Instant> some(String instant) {
        return Optional.of(Instant.parse(instant));
    }

    @Test
    void openFromStartInclusiveToEndExclusive() {
        Window w = window("Tue-Thu 10:00-14:00", UTC);
        // 2026-01-06 is a Tuesday.
        assertFalse(w.isOpen(at("2026-01-06T09:59:59.999999999", UTC)));
        assertTrue(w.isOpen(at("2026-01-06T10:00", UTC)));
        assertTrue(w.isOpen(at("2026-01-07T13:59:59.999999999", UTC)));
        assertFalse(w.isOpen(at("2026-01-08T14:00", UTC)));
        assertFalse(w.isOpen(at("2026-01-05T12:00", UTC)));
        assertFalse(w.isOpen(at("2026-01-09T12:00", UTC)));
        assertEquals(some("2026-01-06T10:00:00Z"), w.nextOpening(at("2026-01-05T12:00", UTC)));
        assertEquals(some("2026-01-07T10:00:00Z"), w.nextOpening(at("2026-01-06T14:00", UTC)));
        assertEquals(some("2026-01-13T10:00:00Z"), w.nextOpening(at("2026-01-08T14:00", UTC)));
        Instant open = at("2026-01-06T11:00", UTC);
        assertEquals(Optional.of(open), w.nextOpening(open));
        assertEquals(some("2026-01-06T14:00:00Z"), w.closesAt(open));
        assertEquals(Optional.empty(), w.closesAt(at("2026-01-06T14:00", UTC)));
    }

    @Test
    void wholeDaysAndMidnightEnds() {
        Window w = window("Sat-Sun", UTC);
        assertFalse(w.isOpen(at("2026-01-09T23:59:59", UTC)));
        assertTrue(w.isOpen(at("2026-01-10T00:00", UTC)));
        assertTrue(w.isOpen(at("2026-01-11T23:59:59", UTC)));
        assertEquals(some("2026-01-12T00:00:00Z"), w.closesAt(at("2026-01-10T05:00", UTC)));
        Window late = window("Mon 20:00-24:00", UTC);
        assertEquals(some("2026-01-06T00:00:00Z"), late.closesAt(at("2026-01-05T23:00", UTC)));
        assertEquals(Optional.empty(), window("daily", UTC).closesAt(at("2026-01-05T23:00", UTC)));
    }

    @Test
    void overnightClausesSpillIntoTheNextDay() {
        Window w = window("Fri 22:00-02:00", UTC);
        // 2026-01-09 is a Friday.
        assertFalse(w.isOpen(at("2026-01-09T21:59", UTC)));
        assertTrue(w.isOpen(at("2026-01-09T22:00", UTC)));
        assertTrue(w.isOpen(at("2026-01-10T00:00", UTC)));
        assertTrue(w.isOpen(at("2026-01-10T01:59:59", UTC)));
        assertFalse(w.isOpen(at("2026-01-10T02:00", UTC)));
        assertFalse(w.isOpen(at("2026-01-08T23:00", UTC)));
        assertEquals(some("2026-01-10T02:00:00Z"), w.closesAt(at("2026-01-09T23:00", UTC)));
        assertEquals(some("2026-01-16T22:00:00Z"), w.nextOpening(at("2026-01-10T02:00", UTC)));
    }

    @Test
    void wrapAroundDayRanges() {
        Window w = window("Fri-Mon 09:00-17:00", UTC);
        assertEquals(some("2026-01-09T09:00:00Z"), w.nextOpening(at("2026-01-06T12:00", UTC)));
        assertEquals(some("2026-01-12T09:00:00Z"), w.nextOpening(at("2026-01-11T17:00", UTC)));
        assertEquals(some("2026-01-16T09:00:00Z"), w.nextOpening(at("2026-01-12T17:00", UTC)));
    }

    @Test
    void freezesSpanningTheYearBoundaryAreSkipped() {
        Window w = window("Tue-Thu 10:00-14:00", NEW_YORK,
                FreezePeriod.parse("2026-12-24", "2027-01-02"));
        assertTrue(w.isOpen(at("2026-12-22T12:00", NEW_YORK)));
        assertFalse(w.isOpen(at("2026-12-24T12:00", NEW_YORK)));
        assertFalse(w.isOpen(at("2026-12-29T12:00", NEW_YORK)));
        assertTrue(w.isOpen(at("2027-01-05T12:00", NEW_YORK)));
        assertEquals(Optional.of(at("2027-01-05T10:00", NEW_YORK)),
                w.nextOpening(at("2026-12-23T14:00", NEW_YORK)));
        assertEquals(Optional.of(at("2026-12-23T14:00", NEW_YORK)),
                w.closesAt(at("2026-12-23T11:00", NEW_YORK)));
        // Freeze dates are local: 03:00Z on the 24th is still the 23rd in New York.
        assertTrue(window("daily", NEW_YORK, FreezePeriod.parse("2026-12-24", null))
                .isOpen(Instant.parse("2026-12-24T03:00:00Z")));
    }

    @Test
    void aFreezeCutsAnOvernightClauseAtMidnight() {
        Window w = window("Wed 22:00-02:00", UTC, FreezePeriod.parse("2026-12-24", null));
        assertEquals(some("2026-12-24T00:00:00Z"), w.closesAt(at("2026-12-23T23:00", UTC)));
        Window fridayFrozen = window("Fri 22:00-02:00", UTC, FreezePeriod.parse("2026-01-09", null));
        assertEquals(some("2026-01-10T00:00:00Z"),
                fridayFrozen.nextOpening(at("2026-01-09T12:00", UTC)));
    }

    @Test
    void freezesLongerThanTheSearchAreJumpedButEndlessOnesAreNot() {
        Window long_ = window("Mon 09:00-10:00", UTC, FreezePeriod.parse("2026-01-01", "2027-12-31"),
                FreezePeriod.parse("2027-06-01", "2028-12-31"));
        // 2029-01-01 is a Monday.
        assertEquals(some("2029-01-01T09:00:00Z"), long_.nextOpening(at("2026-01-05T12:00", UTC)));
        Window forever = window("daily", UTC, new FreezePeriod(LocalDate.of(2026, 1, 1), LocalDate.MAX));
        assertEquals(Optional.empty(), forever.nextOpening(at("2026-01-05T12:00", UTC)));
    }

    @Test
    void springForwardOpensAtTheEndOfTheGap() {
        // New York skips 02:00-03:00 on Sunday 2026-03-08.
        Window w = window("Sun 02:30-04:00", NEW_YORK);
        assertEquals(some("2026-03-08T07:00:00Z"), w.nextOpening(at("2026-03-08T01:00", NEW_YORK)));
        assertFalse(w.isOpen(Instant.parse("2026-03-08T06:59:59Z")));
        Window inGap = window("Sun 02:10-02:50", NEW_YORK);
        assertEquals(Optional.of(at("2026-03-15T02:10", NEW_YORK)),
                inGap.nextOpening(at("2026-03-08T01:00", NEW_YORK)));
        Window endsInGap = window("Sun 01:00-02:30", NEW_YORK);
        assertEquals(some("2026-03-08T07:00:00Z"), endsInGap.closesAt(at("2026-03-08T01:30", NEW_YORK)));
        // Berlin skips 02:00-03:00 on Sunday 2026-03-29.
        Window berlin = window("Sun 02:00-03:30", BERLIN);
        assertEquals(some("2026-03-29T01:00:00Z"), berlin.nextOpening(at("2026-03-28T12:00", BERLIN)));
        assertEquals(some("2026-03-29T01:30:00Z"), berlin.closesAt(Instant.parse("2026-03-29T01:00:00Z")));
    }

    @Test
    void fallBackOpensDuringBothOccurrences() {
        // New York repeats 01:00-02:00 on Sunday 2026-11-01 (05:00Z-06:00Z, then 06:00Z-07:00Z).
        Window w = window("Sun 01:15-01:45", NEW_YORK);
        assertEquals(some("2026-11-01T05:15:00Z"), w.nextOpening(Instant.parse("2026-11-01T04:00:00Z")));
        assertEquals(some("2026-11-01T05:45:00Z"), w.closesAt(Instant.parse("2026-11-01T05:20:00Z")));
        assertEquals(some("2026-11-01T06:15:00Z"), w.nextOpening(Instant.parse("2026-11-01T05:50:00Z")));
        assertEquals(some("2026-11-01T06:45:00Z"), w.closesAt(Instant.parse("2026-11-01T06:20:00Z")));
        assertEquals(Optional.of(at("2026-11-08T01:15", NEW_YORK)),
                w.nextOpening(Instant.parse("2026-11-01T06:45:00Z")));
        Window endsInOverlap = window("Sun 00:00-01:30", NEW_YORK);
        assertEquals(some("2026-11-01T05:30:00Z"),
                endsInOverlap.closesAt(Instant.parse("2026-11-01T04:30:00Z")));
        assertEquals(some("2026-11-01T06:00:00Z"),
                endsInOverlap.nextOpening(Instant.parse("2026-11-01T05:40:00Z")));
        assertEquals(some("2026-11-01T06:30:00Z"),
                endsInOverlap.closesAt(Instant.parse("2026-11-01T06:00:00Z")));
        // Berlin repeats 02:00-03:00 on Sunday 2026-10-25 (00:00Z-01:00Z, then 01:00Z-02:00Z).
        Window berlin = window("Sun 02:15-02:45", BERLIN);
        assertTrue(berlin.isOpen(Instant.parse("2026-10-25T00:15:00Z")));
        assertFalse(berlin.isOpen(Instant.parse("2026-10-25T00:45:00Z")));
        assertTrue(berlin.isOpen(Instant.parse("2026-10-25T01:15:00Z")));
        assertFalse(berlin.isOpen(Instant.parse("2026-10-25T01:45:00Z")));
    }

    @Test
    void describesItselfInOneLine() {
        assertEquals("Tue–Thu 10:00–14:00 America/New_York, frozen 2026-12-24 to 2027-01-02",
                window("Tue-Thu 10:00-14:00", NEW_YORK, FreezePeriod.parse("2026-12-24", "2027-01-02"))
                        .describe());
        assertEquals("Mon–Fri 09:00–17:00; Sat 10:00–12:00 Europe/Berlin",
                window("Mon-Fri 09:00-17:00; Sat 10:00-12:00", BERLIN).describe());
        assertEquals("every day, all day UTC, frozen 2026-07-04, 2026-11-26 to 2026-11-27 and"
                        + " 2026-12-24 to 2027-01-02",
                window("daily", UTC, FreezePeriod.parse("2026-07-04", null),
                        FreezePeriod.parse("2026-11-26", "2026-11-27"),
                        FreezePeriod.parse("2026-12-24", "2027-01-02")).describe());
    }
}
