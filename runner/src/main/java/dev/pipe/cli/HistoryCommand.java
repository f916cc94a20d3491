package dev.pipe.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.pipe.engine.deploy.Deployment;
import dev.pipe.engine.deploy.EnvironmentDir;
import dev.pipe.engine.deploy.HistoryFile;
import dev.pipe.engine.deploy.Ledger;
import dev.pipe.engine.deploy.LedgerException;
import dev.pipe.lang.diag.Suggest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Show an environment's deployment attempts, newest first: version, outcome and",
                "cause, when, who started and approved it, verify checks (from its history)."},
        footer = {"", "Exit codes: 0 ok (also with no deployments yet), 1 the history is damaged or",
                "unreadable, 2 usage error or an unknown environment. See docs/cli.md."})
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "ENV", arity = "1", description = "The environment, as named after `deploy to`.")
    String environment;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Show the newest N attempts (default 20).")
    int limit;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table with detail lines) or json (each attempt as its history line, one per line).")
    String output;

    @Mixin
    StateDir state;

    @Override
    public Integer call() {
        boolean json = jsonOutput(output);
        if (limit < 1) {
            throw CliException.usage("--limit must be 1 or more, not " + limit);
        }
        Ledger ledger = ledger(state, parent.cli.env());
        HistoryFile file = read(ledger, environment);
        PrintStream out = parent.cli.out();
        file.torn().ifPresent(why -> parent.cli.err().println("pipe: note: the last line of " + ledger.file(environment)
                + " is left out: " + why + "; a deployment was being recorded when pipe stopped, and the next one removes it."));
        List<Deployment> newest = file.newestFirst();
        if (newest.isEmpty()) {
            (json ? parent.cli.err() : out).println(noDeployments(environment));
            return Exit.OK;
        }
        List<Deployment> shown = newest.subList(0, Math.min(limit, newest.size()));
        if (json) {
            shown.forEach(d -> out.println(json(d)));
        } else {
            printTable(out, shown);
            int rest = newest.size() - shown.size();
            if (rest > 0) {
                out.println("(" + rest + " older " + (rest == 1 ? "attempt" : "attempts") + " not shown; --limit "
                        + newest.size() + " shows them all)");
            }
        }
        return Exit.OK;
    }

    private void printTable(PrintStream out, List<Deployment> attempts) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STARTED", "VERSION", "OUTCOME", "TOOK", "BY", "KIND", "RUN", "STAGE"});
        for (Deployment d : attempts) {
            rows.add(new String[] {time(d.startedAt()), version(d), outcome(d), took(d),
                    d.triggeredBy() == null ? "-" : clean(d.triggeredBy()), kind(d), d.runId(), clean(d.stage())});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(String.format("%-" + widths[i] + "s  ", rows.get(r)[i]));
            }
            out.println(line.toString().stripTrailing());
            if (r > 0) {
                details(attempts.get(r - 1)).forEach(detail -> out.println("    " + detail));
            }
        }
    }

    /** The lines under an attempt's row: only those that have something to say. */
    static List<String> details(Deployment d) {
        List<String> lines = new ArrayList<>();
        if (d.cause() != null) {
            lines.add((d.succeeded() ? "note: " : "cause: ") + clean(d.cause()));
        }
        if (!d.approvals().isEmpty()) {
            lines.add("approved by " + approvers(d));
        }
        if (!d.checks().isEmpty()) {
            List<String> checks = new ArrayList<>();
            for (Deployment.Check c : d.checks()) {
                checks.add("`" + clean(c.name()) + "` " + (c.passed() ? "passed" : "FAILED")
                        + (c.tries() > 1 ? " after " + c.tries() + " tries" : ""));
            }
            lines.add("verify: " + String.join(", ", checks));
        }
        if (d.windowOverride() != null) {
            lines.add("window override by " + clean(d.windowOverride().by()) + ": " + clean(d.windowOverride().reason()));
        }
        return lines;
    }

    /** {@code alice ("looks good") and bob}. */
    static String approvers(Deployment d) {
        List<String> names = new ArrayList<>();
        for (Deployment.Approval a : d.approvals()) {
            names.add(clean(a.by()) + (a.comment() == null || a.comment().isBlank() ? "" : " (\"" + clean(a.comment()) + "\")"));
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /** How an attempt ended, in a few words: what a person scanning the table needs first. */
    static String outcome(Deployment d) {
        return switch (d.outcome()) {
            case SUCCEEDED -> "succeeded";
            // Not changed: a gate refused it or it was cancelled while waiting, so what ran before still runs.
            case FAILED -> d.changed() ? "failed, no rollback" : "failed, nothing changed";
            case ROLLED_BACK -> "rolled back" + restored(d);
            case ROLLBACK_FAILED -> "rollback" + restored(d) + " FAILED";
        };
    }

    private static String restored(Deployment d) {
        if (d.restoredVersion() != null) {
            return " to " + clean(d.restoredVersion());
        }
        return d.restoredRun() == null ? "" : " to run " + d.restoredRun();
    }

    static String version(Deployment d) {
        return d.version() == null ? "-" : clean(d.version());
    }

    private static String kind(Deployment d) {
        return d.kind() == Deployment.Kind.DEPLOY ? "deploy" : "manual rollback";
    }

    /** UTC to the second, as pipe prints times elsewhere: {@code 2026-11-24T15:00:00Z}. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** From reaching the environment to the end of the attempt, rollback included: {@code 4.2s}, {@code 12m34s}, {@code 2h05m}. */
    static String took(Deployment d) {
        Duration took = Duration.between(d.startedAt(), d.finishedAt());
        long s = took.toSeconds();
        if (s < 10) {
            return String.format("%.1fs", took.toMillis() / 1000.0);
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /**
     * Text from the history on one line of a terminal: a cause or a comment may hold line breaks
     * or escape sequences, which would break the table or drive the terminal.
     */
    static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.substring(0, i));
                }
                b.append(' ');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    // ---- shared with `pipe status ENV` ----

    /**
     * The history's own JSON form (as in history.jsonl: snake_case, absent values left out, UTC
     * times as ISO-8601 text), so a script reads `pipe history --output json` like the file.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .registerModule(new SimpleModule("pipe-instants").addSerializer(Instant.class, ToStringSerializer.instance));

    static JsonNode tree(Deployment d) {
        return JSON.valueToTree(d);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    /** True for json, false for text; anything else is a usage error. */
    static boolean jsonOutput(String output) {
        if (!output.equals("text") && !output.equals("json")) {
            throw CliException.usage("--output must be text or json, not `" + output + "`");
        }
        return output.equals("json");
    }

    static Ledger ledger(StateDir state, Map<String, String> env) {
        return new Ledger(state.store(env).stateDir());
    }

    /** Whether {@code <state>/environments/<encoded name>/} exists: then the name is an environment's. */
    static boolean isEnvironment(Ledger ledger, String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        try {
            return Files.isDirectory(EnvironmentDir.of(ledger.stateDir(), name).dir());
        } catch (IllegalArgumentException e) {
            // Not valid Unicode: no directory can have this name.
            return false;
        }
    }

    /**
     * The history of an environment pipe knows; a name with no directory under
     * {@code environments/} is a usage error naming the environments that have a history.
     */
    static HistoryFile read(Ledger ledger, String environment) {
        if (environment.isBlank()) {
            throw CliException.usage("give an environment's name");
        }
        if (!isEnvironment(ledger, environment)) {
            throw unknown(ledger, environment);
        }
        return reading(ledger, environment, () -> ledger.read(environment));
    }

    static CliException unknown(Ledger ledger, String environment) {
        List<String> known = reading(ledger, environment, ledger::environments);
        String where = EnvironmentDir.environments(ledger.stateDir()).toString();
        if (known.isEmpty()) {
            return CliException.usage("there is no environment `" + environment + "` in " + where
                    + ": nothing has been deployed with this state directory yet.");
        }
        String near = Suggest.closest(environment, known);
        return CliException.usage("there is no environment `" + environment + "` in " + where + "; "
                + (near == null ? "" : "did you mean `" + near + "`? ")
                + "environments with a history: " + Suggest.list(known) + ".");
    }

    /** "No deployments to staging yet.": an environment pipe knows (its lock was used, say) but nothing was recorded. */
    static String noDeployments(String environment) {
        return "No deployments to " + environment + " yet.";
    }

    interface LedgerRead<T> {
        T get() throws IOException;
    }

    /** Runs a read of the ledger; a damaged or unreadable history is one line and exit 1, never a stack trace. */
    static <T> T reading(Ledger ledger, String environment, LedgerRead<T> read) {
        try {
            return read.get();
        } catch (LedgerException e) {
            throw new CliException(Exit.ERRORS, e.getMessage());
        } catch (IOException e) {
            String why;
            if (e instanceof AccessDeniedException a) {
                why = a.getFile() + ": permission denied";
            } else if (e instanceof FileSystemException f) {
                why = f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
            } else {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            throw new CliException(Exit.ERRORS, "cannot read the deployment history of " + environment + ": " + why);
        }
    }
}
