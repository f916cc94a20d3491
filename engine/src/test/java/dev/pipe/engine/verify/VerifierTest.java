package dev.pipe.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.run.Cancellation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rounds, retries, failure and cancel, on a fake clock: a ten-minute soak takes no time. */
class VerifierTest {
    private final FakeTime time = new FakeTime();
    private final List<Verifier.Try> tries = new ArrayList<>();
    private final List<Duration> roundStarts = new ArrayList<>();
    private final Verifier.Listener listener = new Verifier.Listener() {
        @Override
        public void roundStarted(int round) {
            assertEquals(roundStarts.size() + 1, round);
            roundStarts.add(time.elapsed());
        }

        @Override
        public void tried(Verifier.Try t) {
            tries.add(t);
        }
    };

    private static Duration m(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /** A probe that answers from a script: true passes, false fails; the last answer repeats. */
    private Probe scripted(Duration takes, Boolean... answers) {
        int[] next = {0};
        return cancel -> {
            time.advance(takes);
            boolean pass = answers[Math.min(next[0]++, answers.length - 1)];
            return pass ? ProbeResult.pass("ok") : ProbeResult.fail("HTTP 503 from http://x/health, expected 200");
        };
    }

    private Probe passing() {
        return scripted(Duration.ZERO, true);
    }

    private VerifyResult run(VerifySpec spec) throws InterruptedException {
        return time.verifier().verify(spec, new Cancellation(), listener);
    }

    @Test
    void withoutASoakEveryCheckRunsOnceInOrder() throws Exception {
        VerifyResult r = run(VerifySpec.once(List.of(new CheckSpec("health", 0, null, passing()),
                new CheckSpec("products", 0, null, passing()))));
        assertEquals(VerifyResult.Status.PASSED, r.status());
        assertEquals(1, r.rounds());
        assertEquals(List.of("health", "products"), tries.stream().map(Verifier.Try::check).toList());
        assertEquals(List.of(new VerifyResult.CheckSummary("health", 1, 1), new VerifyResult.CheckSummary("products", 1, 1)),
                r.checks());
        assertEquals(List.of(), time.sleeps);
        assertEquals("verify passed: 2 checks, 1 round", r.describe());
    }

    @Test
    void aTenMinuteSoakEveryMinuteRunsElevenRoundsWhenRoundsTakeNoTime() throws Exception {
        VerifyResult r = run(new VerifySpec(m(10), m(1), List.of(new CheckSpec("health", 0, null, passing()))));
        assertEquals(VerifyResult.Status.PASSED, r.status());
        assertEquals(11, r.rounds());
        List<Duration> expected = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            expected.add(m(i));
        }
        assertEquals(expected, roundStarts);
        assertEquals(List.of(new VerifyResult.CheckSummary("health", 11, 11)), r.checks());
        assertEquals("verify passed: 1 check, 11 rounds", r.describe());
    }

    @Test
    void roundsAreDueEveryIntervalFromTheStartOfTheLastRound() throws Exception {
        // Each round takes 25s, so the wait before the next one is 35s: rounds stay a minute apart.
        VerifyResult r = run(new VerifySpec(m(3), m(1), List.of(new CheckSpec("health", 0, null, scripted(s(25), true)))));
        assertEquals(4, r.rounds());
        assertEquals(List.of(m(0), m(1), m(2), m(3)), roundStarts);
        assertEquals(List.of(s(35), s(35), s(35)), time.sleeps);
    }

    @Test
    void aRoundLongerThanTheIntervalIsFollowedAtOnce() throws Exception {
        // 90s rounds every 1m over 10m: rounds start at 0, 90s, ..., 540s; the next would be at 630s.
        VerifyResult r = run(new VerifySpec(m(10), m(1), List.of(new CheckSpec("slow", 0, null, scripted(s(90), true)))));
        assertEquals(7, r.rounds());
        assertEquals(s(540), roundStarts.getLast());
        assertEquals(List.of(), time.sleeps);
        assertEquals(s(630), time.elapsed());
    }

    @Test
    void theLastRoundIsTheLastOneDueAtOrBeforeTheEndOfTheSoak() throws Exception {
        run(new VerifySpec(Duration.ofSeconds(150), m(1), List.of(new CheckSpec("health", 0, null, passing()))));
        assertEquals(List.of(m(0), m(1), m(2)), roundStarts);
    }

    @Test
    void aSleeperThatDoesNotMoveTheClockStillEndsTheSoak() throws Exception {
        List<Duration> asked = new ArrayList<>();
        Verifier v = new Verifier(time, (d, cancel) -> asked.add(d));
        VerifyResult r = v.verify(new VerifySpec(m(10), m(1), List.of(new CheckSpec("health", 0, null, passing()))),
                new Cancellation(), listener);
        assertEquals(11, r.rounds());
        assertEquals(10, asked.size());
    }

    @Test
    void aCheckIsRetriedEveryIntervalUntilItPasses() throws Exception {
        VerifyResult r = run(VerifySpec.once(List.of(new CheckSpec("health", 5, s(10), scripted(Duration.ZERO, false, false, true)))));
        assertEquals(VerifyResult.Status.PASSED, r.status());
        assertEquals(List.of(s(10), s(10)), time.sleeps);
        assertEquals(List.of(1, 2, 3), tries.stream().map(Verifier.Try::attempt).toList());
        assertEquals(List.of(false, false, true), tries.stream().map(Verifier.Try::passed).toList());
        assertEquals(6, tries.getFirst().attempts());
        assertEquals(new VerifyResult.CheckSummary("health", 3, 1), r.checks().getFirst());
        assertEquals(2, r.checks().getFirst().failures());
    }

    @Test
    void retriesWaitTheDefaultIntervalWhenTheCheckGivesNone() throws Exception {
        run(VerifySpec.once(List.of(new CheckSpec("health", 1, null, scripted(Duration.ZERO, false, true)))));
        assertEquals(List.of(CheckSpec.DEFAULT_EVERY), time.sleeps);
    }

    @Test
    void aCheckThatRunsOutOfTriesFailsVerifyAndNothingElseRuns() throws Exception {
        Probe never = cancel -> {
            throw new AssertionError("a check after the failed one ran");
        };
        VerifyResult r = run(VerifySpec.once(List.of(new CheckSpec("health", 2, s(5), scripted(Duration.ZERO, false)),
                new CheckSpec("products", 0, null, never))));
        assertEquals(VerifyResult.Status.FAILED, r.status());
        assertEquals(new VerifyResult.Failure("health", 1, "HTTP 503 from http://x/health, expected 200"), r.failure());
        assertEquals(List.of(new VerifyResult.CheckSummary("health", 3, 0), new VerifyResult.CheckSummary("products", 0, 0)),
                r.checks());
        assertEquals(List.of(s(5), s(5)), time.sleeps);
        assertEquals("verify check \"health\" failed: HTTP 503 from http://x/health, expected 200", r.describe());
    }

    @Test
    void theFirstFailureInASoakEndsVerifyWithoutMoreRounds() throws Exception {
        // Passes in rounds 1 and 2, fails from round 3 on.
        VerifyResult r = run(new VerifySpec(m(10), m(1), List.of(new CheckSpec("health", 0, null, passing()),
                new CheckSpec("errors", 0, null, scripted(Duration.ZERO, true, true, false)))));
        assertEquals(VerifyResult.Status.FAILED, r.status());
        assertEquals(3, r.rounds());
        assertEquals(3, r.failure().round());
        assertEquals(List.of(new VerifyResult.CheckSummary("health", 3, 3), new VerifyResult.CheckSummary("errors", 3, 2)),
                r.checks());
        assertEquals(m(2), time.elapsed());
        assertTrue(r.describe().startsWith("verify check \"errors\" failed in round 3: "), r.describe());
    }

    @Test
    void aCancelDuringATryStopsVerifyAtOnce() throws Exception {
        Cancellation cancel = new Cancellation();
        int[] calls = {0};
        Probe probe = c -> {
            if (++calls[0] == 4) {
                c.cancel("Ctrl-C");
                return ProbeResult.fail("cancelled");
            }
            return ProbeResult.pass("ok");
        };
        VerifyResult r = time.verifier().verify(new VerifySpec(m(10), m(1), List.of(new CheckSpec("health", 3, null, probe))),
                cancel, listener);
        assertEquals(VerifyResult.Status.CANCELLED, r.status());
        assertEquals(4, r.rounds());
        assertNull(r.failure());
        assertEquals("Ctrl-C", r.cancelReason());
        assertEquals("verify was cancelled: Ctrl-C", r.describe());
        assertEquals(4, calls[0]);
        assertEquals(new VerifyResult.CheckSummary("health", 4, 3), r.checks().getFirst());
        assertEquals(3, time.sleeps.size());
    }

    @Test
    void aCancelDuringTheWaitBetweenRoundsStopsVerify() throws Exception {
        Cancellation cancel = new Cancellation();
        List<Duration> asked = new ArrayList<>();
        Verifier v = new Verifier(time, (d, c) -> {
            asked.add(d);
            if (asked.size() == 2) {
                c.cancel("the stage timed out");
                return;
            }
            time.sleep(d, c);
        });
        VerifyResult r = v.verify(new VerifySpec(m(10), m(1), List.of(new CheckSpec("health", 0, null, passing()))),
                cancel, listener);
        assertEquals(VerifyResult.Status.CANCELLED, r.status());
        assertEquals(2, r.rounds());
        assertEquals(2, tries.size());
    }

    @Test
    void aCancelDuringTheWaitBetweenTriesStopsVerify() throws Exception {
        Cancellation cancel = new Cancellation();
        Verifier v = new Verifier(time, (d, c) -> c.cancel("Ctrl-C"));
        VerifyResult r = v.verify(VerifySpec.once(List.of(new CheckSpec("health", 5, null, scripted(Duration.ZERO, false)))),
                cancel, listener);
        assertEquals(VerifyResult.Status.CANCELLED, r.status());
        assertEquals(1, tries.size());
    }

    @Test
    void aRunCancelledBeforeVerifyRunsNothing() throws Exception {
        Cancellation cancel = new Cancellation();
        cancel.cancel("Ctrl-C");
        VerifyResult r = time.verifier().verify(VerifySpec.once(List.of(new CheckSpec("health", 0, null, passing()))),
                cancel, listener);
        assertEquals(VerifyResult.Status.CANCELLED, r.status());
        assertEquals(0, r.rounds());
        assertEquals(List.of(), tries);
    }

    @Test
    void triesReportTheirDuration() throws Exception {
        run(VerifySpec.once(List.of(new CheckSpec("slow", 0, null, scripted(s(3), true)))));
        assertEquals(s(3), tries.getFirst().took());
    }

    @Test
    void specsThatCannotWorkAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VerifySpec(m(10), Duration.ZERO, List.of()));
        assertEquals("verify: every must be longer than 0s when there is a soak (for)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CheckSpec("x", -1, null, passing()));
        assertEquals(VerifySpec.DEFAULT_EVERY, new VerifySpec(m(10), null, List.of()).every());
    }
}
