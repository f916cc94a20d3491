package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.deploy.Approvals;
import dev.pipe.engine.deploy.DecisionFile;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asking for approvals at the terminal: answers judged at once, recorded like pipe approve. */
class TerminalPromptTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T15:00:00Z"), ZoneOffset.UTC);
    private final Approvals.Subject subject = new Approvals.Subject("20261125-150000-abcd", "deploy_production",
            "production", "v1.4.0", "digest");
    private final Approvals gate = new Approvals(new Approvals.Policy(List.of("alice", "bob", "carol"), 2,
            Optional.of(Duration.ofHours(24)), false), new Approvals.GateInstance(subject, "ada", clock.instant()));
    private int paused;
    private int resumed;

    private TerminalPrompt prompt(String typed) {
        return new TerminalPrompt(new BufferedReader(new StringReader(typed)), new PrintStream(shown, true,
                StandardCharsets.UTF_8), new DecisionFile(dir), clock, UnaryOperator.identity(), () -> paused++,
                () -> resumed++);
    }

    private Approvals.State.Pending pending() {
        return (Approvals.State.Pending) gate.state(clock.instant());
    }

    @Test
    void aRefusedAnswerIsExplainedAndAskedAgainThenTheAcceptedOneIsRecorded() throws Exception {
        Optional<Approvals.Decision> d = prompt("ada\n\nalice\nlooks good\n").ask("deploy_production", gate, pending(), new dev.pipe.engine.run.Cancellation());
        assertEquals("alice", d.orElseThrow().by());
        String text = shown.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("deploy_production waits for approval to deploy v1.4.0 to production"), text);
        assertTrue(text.contains("Not recorded: ada is not an approver of production"), text);
        List<Approvals.Decision> recorded = new DecisionFile(dir).of("deploy_production");
        assertEquals(1, recorded.size());
        assertEquals("looks good", recorded.get(0).comment());
        assertEquals(Approvals.Verdict.APPROVE, recorded.get(0).verdict());
        assertEquals(1, paused);
        assertEquals(1, resumed);
    }

    @Test
    void aDashRejects() throws Exception {
        Optional<Approvals.Decision> d = prompt("-carol\nnot during the sale\n").ask("deploy_production", gate, pending(), new dev.pipe.engine.run.Cancellation());
        assertEquals(Approvals.Verdict.REJECT, d.orElseThrow().verdict());
        assertEquals("carol", d.orElseThrow().by());
    }

    @Test
    void enterLeavesTheGateWaitingAndIsNotAskedAgain() throws Exception {
        TerminalPrompt p = prompt("\nalice\n");
        assertEquals(Optional.empty(), p.ask("deploy_production", gate, pending(), new dev.pipe.engine.run.Cancellation()));
        assertEquals(Optional.empty(), p.ask("deploy_production", gate, pending(), new dev.pipe.engine.run.Cancellation()));
        assertEquals(List.of(), new DecisionFile(dir).of("deploy_production"));
        assertEquals(1, paused);
    }

    @Test
    void aCancelledRunIsNotHeldUpByThePromptAndAnEmptyNameIsAskedAgain() throws Exception {
        dev.pipe.engine.run.Cancellation cancel = new dev.pipe.engine.run.Cancellation();
        cancel.cancel("Ctrl-C");
        assertEquals(Optional.empty(), prompt("alice\n\n").ask("deploy_production", gate, pending(), cancel));
        assertEquals(List.of(), new DecisionFile(dir).of("deploy_production"));
        Optional<Approvals.Decision> d = prompt("-\nbob\n\n").ask("deploy_production", gate, pending(),
                new dev.pipe.engine.run.Cancellation());
        assertEquals("bob", d.orElseThrow().by());
        assertTrue(shown.toString(StandardCharsets.UTF_8).contains("Give a name"));
    }
}
