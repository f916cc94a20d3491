package dev.pipe.cli;

import dev.pipe.engine.deploy.Approvals;
import dev.pipe.engine.deploy.DecisionFile;
import dev.pipe.engine.run.Gatekeeper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Asks at the terminal for the approvals a stage waits for, when {@code pipe run} runs on one
 * (the launcher sets PIPE_ASK=1 when both stdin and stdout are terminals). Each answer is judged
 * by the gate's rules at once and, when the gate takes it, written to the run's decisions like
 * {@code pipe approve} would. Pressing Enter leaves the gate waiting: the run pauses (or, with
 * {@code --wait}, waits for {@code pipe approve} from elsewhere) and is not asked again.
 */
final class TerminalPrompt implements Gatekeeper.Prompt {
    private final BufferedReader in;
    private final PrintStream out;
    private final DecisionFile decisions;
    private final Clock clock;
    private final UnaryOperator<String> masker;
    private final Runnable pause;
    private final Runnable resume;
    private final Set<String> declined = ConcurrentHashMap.newKeySet();
    private final boolean waitsForTyping;

    /**
     * @param pause called before asking (stops the live view), and {@code resume} after
     */
    TerminalPrompt(BufferedReader in, PrintStream out, DecisionFile decisions, Clock clock, UnaryOperator<String> masker,
            Runnable pause, Runnable resume) {
        this.in = in;
        this.out = out;
        this.decisions = decisions;
        this.clock = clock;
        this.masker = masker;
        this.pause = pause;
        this.resume = resume;
        // The launcher sets PIPE_ASK only when stdin is a terminal, which says when a line is ready.
        this.waitsForTyping = "1".equals(System.getenv("PIPE_ASK"));
    }

    @Override
    public synchronized Optional<Approvals.Decision> ask(String stage, Approvals gate, Approvals.State.Pending pending,
            dev.pipe.engine.run.Cancellation cancel) throws InterruptedException {
        if (declined.contains(stage)) {
            return Optional.empty();
        }
        Approvals.Subject s = gate.gate().subject();
        pause.run();
        try {
            out.println();
            out.println(stage + " waits for approval to deploy " + (s.version() == null ? "" : s.version() + " ")
                    + "to " + s.environment() + ": " + pending.describe() + ".");
            while (true) {
                out.print("Approve as (a name; -NAME rejects; Enter leaves it waiting): ");
                out.flush();
                String line = readLine(cancel);
                if (cancel.isCancelled()) {
                    out.println();
                    return Optional.empty();
                }
                if (line == null || line.isBlank()) {
                    declined.add(stage);
                    out.println("Left waiting.");
                    return Optional.empty();
                }
                line = line.strip();
                boolean reject = line.startsWith("-");
                String who = reject ? line.substring(1).strip() : line;
                if (who.isEmpty()) {
                    out.println("Give a name: an approver's, or -NAME to reject.");
                    continue;
                }
                out.print("Comment (optional): ");
                out.flush();
                String comment = readLine(cancel);
                if (cancel.isCancelled()) {
                    out.println();
                    return Optional.empty();
                }
                comment = comment == null || comment.isBlank() ? null : comment.strip();
                Approvals.Decision d = reject ? Approvals.Decision.reject(who, clock.instant(), comment, s)
                        : Approvals.Decision.approve(who, clock.instant(), comment, s);
                if (gate.validate(d) instanceof Approvals.Validation.Refused r) {
                    out.println("Not recorded: " + masker.apply(r.reason()) + ".");
                    continue;
                }
                decisions.append(d, masker);
                return Optional.of(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pipe could not read or record the answer", e);
        } finally {
            resume.run();
        }
    }

    /**
     * A line typed, or null at the end of input. Waits for input in small steps, so that Ctrl-C
     * (which cancels the run) is not held up by a prompt nobody answers.
     */
    private String readLine(dev.pipe.engine.run.Cancellation cancel) throws IOException, InterruptedException {
        if (cancel.isCancelled()) {
            return null;
        }
        while (!in.ready()) {
            if (cancel.isCancelled()) {
                return null;
            }
            if (!waitsForTyping) {
                // A source that is not a terminal may never say it is ready: read it as it comes.
                return in.readLine();
            }
            Thread.sleep(100);
        }
        return in.readLine();
    }
}
