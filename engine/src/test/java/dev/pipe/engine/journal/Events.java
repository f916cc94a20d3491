package dev.pipe.engine.journal;

import dev.pipe.engine.journal.JournalEvent.JournalRepaired;
import dev.pipe.engine.journal.JournalEvent.RunCancelled;
import dev.pipe.engine.journal.JournalEvent.RunFinished;
import dev.pipe.engine.journal.JournalEvent.RunResumed;
import dev.pipe.engine.journal.JournalEvent.RunStarted;
import dev.pipe.engine.journal.JournalEvent.StageFinished;
import dev.pipe.engine.journal.JournalEvent.StageReady;
import dev.pipe.engine.journal.JournalEvent.StageStarted;
import dev.pipe.engine.journal.JournalEvent.StepFinished;
import dev.pipe.engine.journal.JournalEvent.StepSkipped;
import dev.pipe.engine.journal.JournalEvent.StepStarted;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Test helpers: one event of each type, and a clock that ticks a second per reading. */
final class Events {
    static final Instant T0 = Instant.parse("2026-11-22T05:15:30.250Z");

    private Events() {
    }

    static RunStarted started(long pid) {
        return new RunStarted("20261122-051530-8f3k", "shop", "examples/shop/shop.pipe", "a push to `main`",
                "b1f9d22215aa0000", "alice", 4, pid);
    }

    /** One of every event type, with every optional field filled and some awkward text. */
    static List<JournalEvent> oneOfEach() {
        return List.of(
                started(4242),
                new RunResumed(4343),
                new StageReady("test[node=18]"),
                new StageStarted("test[node=18]"),
                new StepStarted("test[node=18]", "run tests", 2),
                new StepFinished("test[node=18]", "run tests", 2, 1, StepOutcome.FAILED, 1234,
                        Map.of("report", "line one\nline \"two\"\t✓"), "exit 1"),
                new StepFinished("build", "compile", 1, 0, StepOutcome.SUCCEEDED, 5, Map.of(), null),
                new StepSkipped("build", "publish", "when `git.branch == \"main\"` is false"),
                new StageFinished("test[node=18]", StageStatus.FAILED, "step `run tests` failed",
                        Map.of("digest", "sha256:abc")),
                new JournalEvent.GateWaiting("deploy", "approval", "waiting for 2 more approvals", "production", "v1.4.0"),
                new JournalEvent.ApprovalRecorded("deploy", "approve", "alice", "2026-11-24T15:00:00Z", "ship it"),
                new JournalEvent.GatePassed("deploy", "approval", "approved by alice and bob"),
                new JournalEvent.RunWaiting("stage `deploy` waits for approval"),
                new JournalEvent.VerifyTry("deploy", "GET http://127.0.0.1:8082/health", 2, 3, false, "HTTP 503"),
                new JournalEvent.RollbackStarted("deploy", "verify failed", "v1.3.0"),
                new JournalEvent.RollbackFinished("deploy", true, null),
                new JournalEvent.DeploymentRecorded("deploy", "production", "v1.4.0", "rolled_back"),
                new RunCancelled("interrupted by Ctrl-C"),
                new RunFinished(RunStatus.CANCELLED),
                new JournalRepaired(7, 31, "it does not end with a newline"));
    }

    static Clock ticking() {
        AtomicLong seconds = new AtomicLong();
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return T0.plusSeconds(seconds.getAndIncrement());
            }
        };
    }
}
