package dev.pipe.cli;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.EventKind;
import dev.pipe.engine.plan.PlanException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The event a plan or a run is for: shared by `pipe plan` and `pipe run`. */
final class EventOptions {
    @Option(names = "--event", paramLabel = "EVENT",
            description = "push, tag, pull_request, manual or schedule. Default: push (tag when --tag is given).")
    String event;

    @Option(names = "--branch", paramLabel = "BRANCH",
            description = "The branch pushed to, or the target branch of a pull request. Default: main.")
    String branch;

    @Option(names = "--tag", paramLabel = "TAG", description = "The tag pushed.")
    String tag;

    @Option(names = "--input", paramLabel = "NAME=VALUE", description = "A manual input; repeatable.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--changed", paramLabel = "PATH",
            description = "A file changed by the event; repeatable. Without it, paths filters are not applied.")
    List<String> changed;

    @Option(names = "--at", paramLabel = "TIME",
            description = "The clock, ISO-8601 such as 2026-11-24T16:00:00Z. Default: now.")
    String at;

    @Option(names = "--as", paramLabel = "USER",
            description = "Who triggers the run. Default: $PIPE_USER, else the OS user.")
    String as;

    @Option(names = "--sha", paramLabel = "SHA", description = "The commit the event is about.")
    String sha;

    EventContext context(Map<String, String> env) {
        EventKind kind;
        try {
            kind = event != null ? EventKind.parse(event) : tag != null ? EventKind.TAG : EventKind.PUSH;
        } catch (PlanException e) {
            throw CliException.usage(e.getMessage());
        }
        EventContext.Builder b = EventContext.builder(kind, clock());
        if ((kind == EventKind.PUSH || kind == EventKind.PULL_REQUEST) && branch == null) {
            b.branch("main");
        } else if (branch != null) {
            b.branch(branch);
        }
        if (tag != null) {
            b.tag(tag);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String input : inputs) {
            int eq = input.indexOf('=');
            if (eq <= 0) {
                throw CliException.usage("--input must look like NAME=VALUE, not `" + input + "`");
            }
            String name = input.substring(0, eq);
            if (values.put(name, input.substring(eq + 1)) != null) {
                throw CliException.usage("--input " + name + " is given twice");
            }
        }
        b.inputs(values);
        if (changed != null) {
            b.changed(List.copyOf(changed));
        }
        b.triggeredBy(as != null ? as : env.getOrDefault("PIPE_USER", System.getProperty("user.name")));
        if (sha != null) {
            b.sha(sha);
        }
        return b.build();
    }

    private Instant clock() {
        if (at == null) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw CliException.usage("--at must be an ISO-8601 time such as 2026-11-24T16:00:00Z, not `" + at + "`");
        }
    }
}
