package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random specs, zones (several with daylight saving, one changing at midnight, some with odd
 * offsets), freezes and instants, many of them close to a zone transition.
 */
class WindowPropertiesTest {

    static final int CASES = 1500;
    static final Duration FULL_SCAN = Duration.ofDays(4);
    static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static final List<ZoneId> ZONES = List.of("UTC", "America/New_York", "Europe/Berlin",
            "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Asia/Kathmandu",
            "Pacific/Chatham", "America/St_Johns", "Africa/Casablanca").stream().map(ZoneId::of).toList();

    record Case(Window window, Instant t, String label) {
    }

    static String randomSpec(Random r) {
        List<String> clauses = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        for (int c = 0; c < count; c++) {
            StringBuilder clause = new StringBuilder();
            if (r.nextInt(8) == 0) {
                clause.append(r.nextBoolean() ? "daily" : "Daily");
            } else {
                int items = 1 + r.nextInt(r.nextBoolean() ? 1 : 3);
                for (int i = 0; i < items; i++) {
                    clause.append(i == 0 ? "" : r.nextBoolean() ? "," : ", ");
                    clause.append(day(r));
                    if (r.nextInt(3) == 0) {
                        clause.append('-').append(day(r));
                    }
                }
            }
            if (r.nextInt(4) != 0) {
                int start = r.nextBoolean() ? r.nextInt(96) * 15 : r.nextInt(1440);
                int end = r.nextInt(10) == 0 ? 1440 : r.nextBoolean() ? r.nextInt(96) * 15 : r.nextInt(1440);
                clause.append(' ').append(hhmm(start)).append('-').append(hhmm(end));
            }
            clauses.add(clause.toString());
        }
        return String.join("; ", clauses);
    }

    static String day(Random r) {
        String d = DAYS[r.nextInt(7)];
        return r.nextInt(5) == 0 ? d.toUpperCase(Locale.ROOT) : d;
    }

    static String hhmm(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    static Case randomCase(Random r) {
        ZoneId zone = ZONES.get(r.nextInt(ZONES.size()));
        Instant t = Instant.parse("2025-01-01T00:00:00Z")
                .plusSeconds(r.nextLong(0, 6L * 365 * 86_400));
        if (r.nextInt(3) == 0) {
            ZoneOffsetTransition next = zone.getRules().nextTransition(t);
            if (next != null) {
                t = next.getInstant().plusSeconds(r.nextInt(-4 * 3600, 4 * 3600));
            }
        }
        if (r.nextBoolean()) {
            t = t.truncatedTo(ChronoUnit.MINUTES);
        }
        LocalDate today = LocalDate.ofInstant(t, zone);
        List<FreezePeriod> freezes = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            LocalDate from = today.plusDays(r.nextInt(-5, 20));
            freezes.add(new FreezePeriod(from, from.plusDays(r.nextInt(r.nextBoolean() ? 2 : 15))));
        }
        String spec = randomSpec(r);
        Window window = new Window(WindowSpec.parse(spec), zone, freezes);
        return new Case(window, t, "`" + spec + "` in " + zone + " freezes " + freezes + " at " + t);
    }

    /** Asserts {@code isOpen(x) == open} for every whole minute strictly between from and to. */
    static void assertMinutesBetween(Window w, Instant from, Instant to, boolean open, Random r,
            String message) {
        Instant first = from.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        if (Duration.between(from, to).compareTo(FULL_SCAN) <= 0) {
            for (Instant x = first; x.isBefore(to); x = x.plus(1, ChronoUnit.MINUTES)) {
                if (w.isOpen(x) != open) {
                    fail(message + ": " + (open ? "shut" : "open") + " at " + x);
                }
            }
            return;
        }
        long minutes = Duration.between(first, to).toMinutes();
        for (int i = 0; i < 3000; i++) {
            long k = i < 1440 ? i : i < 2880 ? minutes - (i - 1440) : r.nextLong(0, minutes);
            Instant x = first.plus(k, ChronoUnit.MINUTES);
            if (x.isBefore(to) && !x.isBefore(first) && w.isOpen(x) != open) {
                fail(message + ": " + (open ? "shut" : "open") + " at " + x);
            }
        }
    }

    @Test
    void nextOpeningIsTheEarliestOpenInstantNotBeforeT() {
        Random r = Seeds.random(10);
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(r);
            String where = Seeds.where(10, i) + c.label;
            Optional<Instant> opening = c.window.nextOpening(c.t);
            assertTrue(opening.isPresent(), where + ": never opens");
            Instant o = opening.get();
            assertFalse(o.isBefore(c.t), where + ": opens before t, at " + o);
            assertTrue(c.window.isOpen(o), where + ": shut at its opening " + o);
            if (o.isAfter(c.t)) {
                assertFalse(c.window.isOpen(o.minusNanos(1)), where + ": already open before " + o);
                assertMinutesBetween(c.window, c.t, o, false, r, where + " opening " + o);
            }
        }
    }

    @Test
    void closesAtIsTheFirstShutInstantAfterT() {
        Random r = Seeds.random(11);
        int checked = 0;
        for (int i = 0; checked < CASES / 2; i++) {
            Case c = randomCase(r);
            Instant t = c.window.nextOpening(c.t).orElseThrow();
            String where = Seeds.where(11, i) + c.label + " opening " + t;
            Optional<Instant> closing = c.window.closesAt(t);
            if (closing.isEmpty()) {
                assertMinutesBetween(c.window, t, t.plus(Window.SEARCH_DAYS, ChronoUnit.DAYS), true,
                        r, where + ", never closing");
                continue;
            }
            checked++;
            Instant x = closing.get();
            assertTrue(x.isAfter(t), where + ": closes at " + x);
            assertFalse(c.window.isOpen(x), where + ": still open at its closing " + x);
            assertTrue(c.window.isOpen(x.minusNanos(1)), where + ": shut before its closing " + x);
            assertMinutesBetween(c.window, t, x, true, r, where + " closing " + x);
            assertFalse(c.window.closesAt(x).isPresent(), where + ": closesAt is set while shut");
        }
    }

    @Test
    void neverOpenOnAFrozenDate() {
        Random r = Seeds.random(12);
        int checked = 0;
        for (int i = 0; checked < CASES; i++) {
            Case c = randomCase(r);
            for (FreezePeriod freeze : c.window.freezes()) {
                long days = ChronoUnit.DAYS.between(freeze.from(), freeze.toInclusive());
                LocalDate date = freeze.from().plusDays(r.nextLong(0, days + 1));
                LocalTime time = LocalTime.ofSecondOfDay(r.nextInt(86_400));
                Instant x = LocalDateTime.of(date, time).atZone(c.window.zone()).toInstant();
                if (freeze.contains(LocalDate.ofInstant(x, c.window.zone()))) {
                    checked++;
                    assertFalse(c.window.isOpen(x), Seeds.where(12, i) + c.label + ": open at " + x);
                }
            }
        }
    }
}
