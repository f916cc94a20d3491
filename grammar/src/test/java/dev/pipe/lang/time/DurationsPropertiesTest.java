package dev.pipe.lang.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationsPropertiesTest {

    static final int CASES = 1000;

    static Duration randomDuration(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Duration.ofMillis(r.nextInt(100_000));
            case 1 -> Duration.ofMillis(r.nextLong(0, 1_000L * 86_400 * 3650));
            case 2 -> Duration.ofDays(r.nextInt(3) == 0 ? 0 : r.nextInt(1000))
                    .plusHours(r.nextBoolean() ? 0 : r.nextInt(24))
                    .plusMinutes(r.nextBoolean() ? 0 : r.nextInt(60))
                    .plusSeconds(r.nextBoolean() ? 0 : r.nextInt(60))
                    .plusMillis(r.nextBoolean() ? 0 : r.nextInt(1000));
            default -> Duration.ofSeconds(r.nextLong(0, Long.MAX_VALUE), r.nextInt(1000) * 1_000_000L);
        };
    }

    @Test
    void parseOfFormatIsTheIdentity() {
        Random r = Seeds.random(1);
        for (int i = 0; i < CASES; i++) {
            Duration d = randomDuration(r);
            String text = Durations.format(d);
            assertEquals(d, Durations.parse(text), Seeds.where(1, i) + d + " formatted as " + text);
        }
    }

    @Test
    void compoundLiteralsAddUpAndFormatBackToAnEqualDuration() {
        Random r = Seeds.random(2);
        String[] units = {"d", "h", "m", "s", "ms"};
        long[] millis = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        for (int i = 0; i < CASES; i++) {
            StringBuilder text = new StringBuilder();
            long expected = 0;
            for (int u = 0; u < units.length; u++) {
                if (r.nextInt(3) != 0 && !(u == units.length - 1 && text.isEmpty())) {
                    continue;
                }
                long whole = r.nextInt(500);
                text.append(whole);
                expected += whole * millis[u];
                if (u < 3 && r.nextInt(4) == 0) {
                    int quarters = r.nextInt(4);
                    text.append('.').append(quarters * 25);
                    expected += quarters * millis[u] / 4;
                }
                text.append(units[u]);
            }
            Duration parsed = Durations.parse(text.toString());
            assertEquals(Duration.ofMillis(expected), parsed, Seeds.where(2, i) + text);
            assertEquals(parsed, Durations.parse(Durations.format(parsed)), Seeds.where(2, i) + text);
        }
    }
}
