package dev.pipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipe.engine.deploy.Approvals;
import dev.pipe.engine.deploy.DecisionFile;
import dev.pipe.engine.journal.RunDir;
import dev.pipe.engine.journal.RunState;
import dev.pipe.engine.journal.RunStatus;
import dev.pipe.engine.journal.RunStore;
import dev.pipe.engine.plan.Gate;
import dev.pipe.engine.secrets.Masker;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pipe approve} and {@code pipe reject}: records a decision for a stage that waits at its
 * environment's approval gate. The decision is judged now by the same rules the run applies
 * ({@link Approvals}), so a decision the gate would refuse is refused here with the reason, and
 * one it takes is written to the run's {@code decisions.jsonl}, where the run (waiting with
 * {@code --wait}) or {@code pipe resume} picks it up.
 */
abstract class DecideCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "RUN", arity = "1", description = "The run's id or a unique prefix.")
    String runId;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "The stage that waits; needed only when several stages of the run wait.")
    String stage;

    @Option(names = "--as", paramLabel = "NAME", description = "Who decides. Default: $PIPE_USER, else the OS user.")
    String as;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the environment's history.")
    String comment;

    @Mixin
    StateDir state;

    abstract Approvals.Verdict verdict();

    @Override
    public Integer call() throws Exception {
        RunStore store = state.store(parent.cli.env());
        RunDir run = StatusCommand.find(store, runId);
        RunState s = run.state();
        if (s.status().isFinal()) {
            throw new CliException(Exit.ERRORS, "run " + run.id() + " has already " + StatusCommand.word(s.status().name())
                    + "; there is nothing left to approve");
        }
        List<RunState.StageState> waiting = s.stages().values().stream()
                .filter(st -> st.waiting() != null && st.waiting().gate().equals("approval")).toList();
        if (waiting.isEmpty()) {
            throw new CliException(Exit.ERRORS, "no stage of run " + run.id() + " waits for approval"
                    + " (the run is " + StatusCommand.word(s.status().name()) + ")");
        }
        RunState.StageState target;
        if (stage == null) {
            if (waiting.size() > 1) {
                throw CliException.usage("several stages of run " + run.id() + " wait for approval ("
                        + String.join(", ", waiting.stream().map(RunState.StageState::name).toList()) + "); say which with --stage");
            }
            target = waiting.get(0);
        } else {
            target = waiting.stream().filter(st -> st.name().equals(stage)).findFirst()
                    .orElseThrow(() -> CliException.usage("stage `" + stage + "` of run " + run.id()
                            + " does not wait for approval; waiting: "
                            + String.join(", ", waiting.stream().map(RunState.StageState::name).toList())));
        }
        String who = as != null ? as : parent.cli.env().getOrDefault("PIPE_USER", System.getProperty("user.name"));
        RunState.GateState gate = target.waiting();
        Approvals.Subject subject = new Approvals.Subject(run.id(), target.name(), gate.environment(), gate.version(),
                s.planDigest());
        Approvals approvals = new Approvals(policy(run, target.name()), new Approvals.GateInstance(subject, s.triggeredBy(),
                target.approvalOpenedAt() != null ? target.approvalOpenedAt() : gate.since()));
        Optional<String> rival = DecisionFile.supersededBy(store.stateDir(), gate.environment(), run.id());
        if (rival.isPresent()) {
            approvals = approvals.supersede(rival.get());
        }
        DecisionFile file = new DecisionFile(run.dir());
        for (Approvals.Decision d : file.of(target.name())) {
            if (approvals.validate(d) instanceof Approvals.Validation.Accepted) {
                approvals = approvals.record(d);
            }
        }
        Instant now = Instant.now();
        Approvals.Decision decision = verdict() == Approvals.Verdict.APPROVE
                ? Approvals.Decision.approve(who, now, comment, subject)
                : Approvals.Decision.reject(who, now, comment, subject);
        if (approvals.validate(decision) instanceof Approvals.Validation.Refused r) {
            throw new CliException(Exit.ERRORS, "not recorded: " + r.reason());
        }
        file.append(decision, Masker.of(List.of())::mask);
        Approvals.State after = approvals.record(decision).state(now);
        var out = parent.cli.out();
        out.println(who + (verdict() == Approvals.Verdict.APPROVE ? " approved" : " rejected") + " stage "
                + target.name() + " of run " + run.id() + " (deploying " + (gate.version() == null ? "" : gate.version() + " ")
                + "to " + gate.environment() + "): " + after.describe());
        if (s.status() == RunStatus.RUNNING) {
            out.println("The run is waiting for it and goes on by itself.");
        } else if (after.approved() || verdict() == Approvals.Verdict.REJECT) {
            out.println("Continue the run with: pipe resume " + run.id());
        }
        return Exit.OK;
    }

    /** The approval rules of the stage, from the run's plan.json. */
    private static Approvals.Policy policy(RunDir run, String stage) throws IOException {
        JsonNode plan = new ObjectMapper().readTree(run.plan().toFile());
        for (JsonNode st : plan.path("stages")) {
            if (!st.path("name").asText().equals(stage)) {
                continue;
            }
            for (JsonNode g : st.path("gates")) {
                JsonNode a = g.path("approval");
                if (!a.isMissingNode() && !a.isNull()) {
                    List<String> approvers = new ArrayList<>();
                    a.path("approvers").forEach(n -> approvers.add(n.asText()));
                    List<String> eligible = new ArrayList<>();
                    a.path("eligible").forEach(n -> eligible.add(n.asText()));
                    return Approvals.Policy.of(new Gate.ApprovalGate(approvers, a.path("required").asInt(1),
                            a.path("expires").isTextual() ? a.path("expires").asText() : null,
                            a.path("self_approval").asBoolean(false), eligible));
                }
            }
        }
        throw new CliException(Exit.ERRORS, "the plan of run " + run.id() + " has no approval gate for stage `" + stage + "`");
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a stage that waits at its environment's approval gate.")
    static final class Approve extends DecideCommand {
        @Override
        Approvals.Verdict verdict() {
            return Approvals.Verdict.APPROVE;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a stage that waits at its environment's approval gate: it fails and never deploys.")
    static final class Reject extends DecideCommand {
        @Override
        Approvals.Verdict verdict() {
            return Approvals.Verdict.REJECT;
        }
    }
}
