package dev.pipe.cli;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.EventKind;
import dev.pipe.engine.plan.PlanException;
import dev.pipe.stdlib.git.GitContext;
import dev.pipe.stdlib.git.GitException;
import java.nio.file.Path;
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
            description = "push, tag, pull_request, manual or schedule. Default: from the repository (a tag push"
                    + " when a tag points at HEAD, else a push to the current branch); outside git, push.")
    String event;

    @Option(names = "--branch", paramLabel = "BRANCH",
            description = "The branch pushed to, or the target branch of a pull request. Default: the current"
                    + " branch for a push (main outside git), main for a pull request.")
    String branch;

    @Option(names = "--tag", paramLabel = "TAG", description = "The tag pushed.")
    String tag;

    @Option(names = "--input", paramLabel = "NAME=VALUE", description = "A manual input; repeatable.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--changed", paramLabel = "PATH",
            description = "A file changed by the event; repeatable. Default: from git (since the previous commit,"
                    + " --base, or a pull request's merge-base); outside git, unknown: paths filters are not applied.")
    List<String> changed;

    @Option(names = "--base", paramLabel = "REV",
            description = "The commit the changed files are counted from (a sha, branch or tag). Default: the previous"
                    + " commit; for a pull request, the merge-base with the target branch.")
    String base;

    @Option(names = "--at", paramLabel = "TIME",
            description = "The clock, ISO-8601 such as 2026-11-24T16:00:00Z. Default: now.")
    String at;

    @Option(names = "--as", paramLabel = "USER",
            description = "Who triggers the run. Default: $PIPE_USER, else the OS user.")
    String as;

    @Option(names = "--sha", paramLabel = "SHA", description = "The commit the event is about. Default: HEAD.")
    String sha;

    /**
     * Starts {@link #context} on another thread: reading git (JGit's start-up above all) takes
     * about as long as compiling the pipeline, so the two overlap. {@code get()} rethrows a
     * {@link CliException} as it is.
     */
    java.util.function.Supplier<EventContext> contextSoon(Map<String, String> env, Path pipeFile) {
        java.util.concurrent.CompletableFuture<EventContext> f = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("pipe-git").start(() -> {
            try {
                f.complete(context(env, pipeFile));
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        });
        return () -> {
            try {
                return f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        };
    }

    /**
     * The event and git facts: the options given, the rest read from the repository that holds
     * {@code pipeFile} (see {@link GitContext}).
     */
    EventContext context(Map<String, String> env, Path pipeFile) {
        EventKind given;
        try {
            given = event != null ? EventKind.parse(event) : null;
        } catch (PlanException e) {
            throw CliException.usage(e.getMessage());
        }
        Path dir = pipeFile.toAbsolutePath().getParent();
        GitContext.Answer git;
        try {
            git = GitContext.read(dir, new GitContext.Given(given, branch, tag, sha, base,
                    changed == null ? null : List.copyOf(changed)));
        } catch (GitException e) {
            throw CliException.usage(e.getMessage());
        }
        EventContext.Builder b = EventContext.builder(git.kind(), clock());
        b.branch(git.branch()).tag(git.tag()).sha(git.sha()).message(git.message()).author(git.author())
                .gitDescribe(git.describe()).changed(git.changed()).gitUnknown(git.gitUnknown())
                .changedUnknown(git.changedUnknown());
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
        b.triggeredBy(as != null ? as : env.getOrDefault("PIPE_USER", System.getProperty("user.name")));
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
