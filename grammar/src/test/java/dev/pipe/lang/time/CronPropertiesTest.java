package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * next() against a brute-force scan of every local minute: in each zone, the firings after t are
 * the matching local minutes, each at its first occurrence, or at the end of the gap it falls in.
 */
class CronPropertiesTest {

    static final int CASES = 500;
    static final int HORIZON_MINUTES = 3 * 1440;
    static final List<ZoneId> ZONES = List.of("UTC", "America/New_York", "Europe/Berlin",
            "Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu").stream().map(ZoneId::of).toList();

    static String field(Random r, int min, int max, boolean usuallyStar) {
        if (usuallyStar && r.nextInt(4) != 0) {
            return "*";
        }
        int a = r.nextInt(min, max + 1);
        int b = r.nextInt(min, max + 1);
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return switch (r.nextInt(6)) {
            case 0 -> "*";
            case 1 -> "*/" + r.nextInt(1, 20);
            case 2 -> String.valueOf(a);
            case 3 -> lo + "-" + hi;
            case 4 -> a + "," + b;
            default -> lo + "-" + hi + "/" + r.nextInt(1, 5);
        };
    }

    static Cron randomCron(Random r) {
        while (true) {
            String text = field(r, 0, 59, false) + " " + field(r, 0, 23, r.nextBoolean()) + " "
                    + field(r, 1, 31, true) + " " + field(r, 1, 12, true) + " " + field(r, 0, 7, true);
            try {
                return Cron.parse(text);
            } catch (TimeSyntaxException neverFires) {
                // try another
            }
        }
    }

    /** When a matching local minute fires: its first occurrence, or the end of its gap. */
    static Instant firing(LocalDateTime local, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        if (rules.getValidOffsets(local).isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        return local.atZone(zone).withEarlierOffsetAtOverlap().toInstant();
    }

    @Test
    void nextAgreesWithAMinuteByMinuteScan() {
        Random r = Seeds.random(20);
        for (int i = 0; i < CASES; i++) {
            Cron cron = randomCron(r);
            ZoneId zone = ZONES.get(r.nextInt(ZONES.size()));
            Instant t = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(r.nextLong(0, 6L * 365 * 86_400));
            if (r.nextBoolean()) {
                var transition = zone.getRules().nextTransition(t);
                if (transition != null) {
                    t = transition.getInstant().plusSeconds(r.nextInt(-3 * 3600, 3 * 3600));
                }
            }
            String where = Seeds.where(20, i) + "`" + cron + "` in " + zone + " after " + t;
            LocalDateTime start = LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.MINUTES)
                    .minusHours(3);
            Instant horizon = t.plus(HORIZON_MINUTES - 6 * 60, ChronoUnit.MINUTES);
            TreeSet<Instant> expected = new TreeSet<>();
            for (int m = 0; m < HORIZON_MINUTES; m++) {
                LocalDateTime local = start.plusMinutes(m);
                if (cron.matches(local)) {
                    Instant fire = firing(local, zone);
                    if (fire.isAfter(t) && fire.isBefore(horizon)) {
                        expected.add(fire);
                    }
                }
            }
            List<Instant> actual = new ArrayList<>();
            ZonedDateTime x = ZonedDateTime.ofInstant(t, zone);
            while (true) {
                ZonedDateTime next = cron.next(x);
                assertTrue(next.toInstant().isAfter(x.toInstant()), where + ": " + next + " after " + x);
                assertEquals(zone, next.getZone(), where);
                if (!next.toInstant().isBefore(horizon)) {
                    break;
                }
                actual.add(next.toInstant());
                x = next;
            }
            assertEquals(new ArrayList<>(expected), actual, where);
        }
    }
}
