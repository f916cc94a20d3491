package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The per-step events are written field by field rather than through data binding (see
 * {@link JournalCodec#body}); random events of those types must come out exactly as data binding
 * writes them, masked alike, and read back as they were. Times are written without the JDK's
 * formatter, and must read as {@link Instant#toString} does. {@code -Dpipe.seed=N
 * -Dpipe.cases=1} reruns one case.
 */
class JournalCodecTest {
    private static final String CHARS = "abcXYZ019 _-./:<>&'\"\\\n\r\t\b\f\u0001\u001f\u007f\u2028é€😀s3cret";
    private static final UnaryOperator<String> MASK = s -> s.replace("s3cret", "***");

    @Test
    void perStepEventsAreWrittenAsDataBindingWritesThem() throws Exception {
        long seed = Long.getLong("pipe.seed", 20261202L);
        int cases = Integer.getInteger("pipe.cases", 3000);
        for (int i = 0; i < cases; i++) {
            Random r = new Random(seed + i);
            JournalEvent event = event(r);
            String fast = JournalCodec.body(event, MASK);
            assertEquals(JournalCodec.boundBody(event, MASK), fast, "seed " + (seed + i) + ": " + event);
            assertFalse(fast.contains("s3cret"), "seed " + (seed + i));
            if (!fast.contains("***")) {
                // Unmasked, the line reads back as the very event written.
                String line = new String(JournalCodec.line(7, Instant.ofEpochMilli(1_700_000_000_123L), fast),
                        java.nio.charset.StandardCharsets.UTF_8).strip();
                JournalCodec.Decoded decoded = JournalCodec.decode(line);
                assertTrue(decoded instanceof JournalCodec.Known, line);
                assertEquals(event, ((JournalCodec.Known) decoded).entry().event(), "seed " + (seed + i));
            }
        }
    }

    @Test
    void otherEventsStillGoThroughDataBinding() {
        JournalEvent event = new JournalEvent.RunFinished(RunStatus.SUCCEEDED);
        assertEquals(JournalCodec.boundBody(event, MASK), JournalCodec.body(event, MASK));
        assertEquals("{\"type\":\"run_finished\",\"status\":\"succeeded\"}", JournalCodec.body(event, MASK));
    }

    @Test
    void timesAreWrittenAsInstantWritesThem() {
        long seed = Long.getLong("pipe.seed", 20261202L);
        Random r = new Random(seed);
        List<Long> edges = List.of(0L, -1L, 1L, 999L, 1000L, -1000L, -1001L, 1_700_000_000_000L, 1_700_000_000_999L,
                253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_001L);
        for (long ms : edges) {
            Instant at = Instant.ofEpochMilli(ms);
            assertEquals(at.toString(), JournalCodec.stamp(at), "ms " + ms);
        }
        long ms = 1_764_000_000_000L;
        for (int i = 0; i < 20_000; i++) {
            // Mostly small steps, as a run's events come, with jumps now and then.
            ms += r.nextInt(10) == 0 ? r.nextLong(-400_000_000_000L, 400_000_000_000L) : r.nextInt(1500);
            Instant at = Instant.ofEpochMilli(ms);
            assertEquals(at.toString(), JournalCodec.stamp(at), "ms " + ms);
        }
        Instant odd = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        assertEquals(odd.toString(), JournalCodec.stamp(odd));
    }

    private static JournalEvent event(Random r) {
        String stage = text(r, false);
        String step = text(r, false);
        int attempt = 1 + r.nextInt(3);
        return switch (r.nextInt(6)) {
            case 0 -> new JournalEvent.StageReady(stage);
            case 1 -> new JournalEvent.StageStarted(stage);
            case 2 -> new JournalEvent.StageFinished(stage, StageStatus.values()[r.nextInt(StageStatus.values().length)],
                    text(r, true), outputs(r));
            case 3 -> new JournalEvent.StepStarted(stage, step, attempt);
            case 4 -> new JournalEvent.StepFinished(stage, step, attempt, r.nextInt(300) - 2,
                    List.of(StepOutcome.SUCCEEDED, StepOutcome.FAILED, StepOutcome.TIMED_OUT, StepOutcome.CANCELLED)
                            .get(r.nextInt(4)), r.nextLong(0, 10_000_000L), outputs(r), text(r, true));
            default -> new JournalEvent.StepSkipped(stage, step, text(r, true));
        };
    }

    private static Map<String, String> outputs(Random r) {
        if (r.nextInt(3) == 0) {
            return r.nextBoolean() ? null : Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.put(text(r, false), r.nextInt(8) == 0 ? null : text(r, false));
        }
        return out;
    }

    private static String text(Random r, boolean nullable) {
        if (nullable && r.nextInt(3) == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            int at = r.nextInt(CHARS.length());
            if (Character.isHighSurrogate(CHARS.charAt(at))) {
                b.append(CHARS, at, at + 2);
            } else if (!Character.isLowSurrogate(CHARS.charAt(at))) {
                b.append(CHARS.charAt(at));
            }
        }
        return b.toString();
    }
}
