package dev.pipe.engine.plan;

import dev.pipe.engine.eval.ExprText;
import dev.pipe.engine.eval.Glob;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides which trigger accepts the event, or says for each trigger why it does not.
 *
 * <p>A push of branch B: an {@code on push} whose {@code branches} match B, or that has neither
 * {@code branches} nor {@code tags}. A push of tag T: an {@code on push} whose {@code tags} match
 * T, or that has neither filter. A pull request: an {@code on pull_request} whose {@code branches}
 * match its target branch, or that has none. Manual and scheduled runs: any {@code on manual} or
 * {@code on schedule}. {@code paths} and {@code paths_ignore} apply to branch pushes and pull
 * requests when the changed files are known; tag pushes ignore them.
 */
final class Triggers {
    /**
     * @param trigger the accepting trigger, described ("`on push` at line 4 (branches main)"), or null
     * @param skipReason why nothing runs when no trigger accepts the event, else null
     * @param notes facts for the plan
     */
    record Match(String trigger, String skipReason, List<String> notes) {
    }

    private final SourceFile source;
    private final EventContext ctx;

    private Triggers(SourceFile source, EventContext ctx) {
        this.source = source;
        this.ctx = ctx;
    }

    static Match match(Program program, SourceFile source, EventContext ctx) {
        return new Triggers(source, ctx).match(program.triggers());
    }

    private Match match(List<Trigger> triggers) {
        List<String> refusals = new ArrayList<>();
        for (Trigger t : triggers) {
            List<String> notes = new ArrayList<>();
            String refusal = switch (t) {
                case Trigger.Push p when ctx.kind() == EventKind.PUSH -> branchPush(p, notes);
                case Trigger.Push p when ctx.kind() == EventKind.TAG -> tagPush(p, notes);
                case Trigger.PullRequest pr when ctx.kind() == EventKind.PULL_REQUEST -> pullRequest(pr, notes);
                case Trigger.Manual m when ctx.kind() == EventKind.MANUAL -> null;
                case Trigger.Schedule s when ctx.kind() == EventKind.SCHEDULE -> null;
                default -> "";
            };
            if (refusal == null) {
                return new Match(describe(t) + details(t), null, notes);
            }
            if (!refusal.isEmpty()) {
                refusals.add(refusal);
            }
        }
        String why = refusals.isEmpty()
                ? "the pipeline has no `on " + triggerKeyword() + "` trigger"
                : String.join("; ", refusals);
        return new Match(null, "no trigger matches " + ctx.describe() + ": " + why, List.of());
    }

    private String triggerKeyword() {
        return switch (ctx.kind()) {
            case PUSH, TAG -> "push";
            case PULL_REQUEST -> "pull_request";
            case MANUAL -> "manual";
            case SCHEDULE -> "schedule";
        };
    }

    private String branchPush(Trigger.Push p, List<String> notes) {
        List<String> branches = patterns(p.filters(), Trigger.FilterKind.BRANCHES);
        List<String> tags = patterns(p.filters(), Trigger.FilterKind.TAGS);
        if (branches == null && tags != null) {
            return describe(p) + " accepts only tags " + String.join(", ", tags);
        }
        if (branches != null && !anyMatch(branches, ctx.branch())) {
            return describe(p) + " accepts branches " + String.join(", ", branches);
        }
        return paths(p, p.filters(), "`" + ctx.branch() + "`", notes);
    }

    private String tagPush(Trigger.Push p, List<String> notes) {
        List<String> branches = patterns(p.filters(), Trigger.FilterKind.BRANCHES);
        List<String> tags = patterns(p.filters(), Trigger.FilterKind.TAGS);
        if (tags == null && branches != null) {
            return describe(p) + " accepts only branches " + String.join(", ", branches);
        }
        if (tags != null && !anyMatch(tags, ctx.tag())) {
            return describe(p) + " accepts tags " + String.join(", ", tags);
        }
        if (patterns(p.filters(), Trigger.FilterKind.PATHS) != null
                || patterns(p.filters(), Trigger.FilterKind.PATHS_IGNORE) != null) {
            notes.add("the paths filters of " + describe(p) + " do not apply to tag pushes");
        }
        return null;
    }

    private String pullRequest(Trigger.PullRequest pr, List<String> notes) {
        List<String> branches = patterns(pr.filters(), Trigger.FilterKind.BRANCHES);
        if (branches != null && !anyMatch(branches, ctx.branch())) {
            return describe(pr) + " accepts pull requests into " + String.join(", ", branches);
        }
        return paths(pr, pr.filters(), "pull requests into `" + ctx.branch() + "`", notes);
    }

    /** Null when the changed files pass the paths filters (or are unknown), else why not. */
    private String paths(Trigger t, List<Trigger.Filter> filters, String accepted, List<String> notes) {
        List<String> paths = patterns(filters, Trigger.FilterKind.PATHS);
        List<String> ignore = patterns(filters, Trigger.FilterKind.PATHS_IGNORE);
        if (paths == null && ignore == null) {
            return null;
        }
        if (ctx.changed() == null) {
            notes.add("the changed files are not known"
                    + (ctx.changedUnknown() == null ? "" : " (" + ctx.changedUnknown() + ")")
                    + ", so the paths filter of " + describe(t)
                    + " was not applied; pass --changed PATH to apply it");
            return null;
        }
        boolean any = ctx.changed().stream().anyMatch(f -> (paths == null || anyMatch(paths, f))
                && (ignore == null || !anyMatch(ignore, f)));
        if (any) {
            return null;
        }
        String files = ctx.changed().isEmpty() ? "no file changed" : "changed files: " + String.join(", ", ctx.changed());
        if (paths != null) {
            return describe(t) + " accepts " + accepted + " but only when a changed file matches paths "
                    + String.join(", ", paths) + (ignore == null ? "" : " and not paths_ignore " + String.join(", ", ignore))
                    + " (" + files + ")";
        }
        return describe(t) + " accepts " + accepted + " but ignores changes to " + String.join(", ", ignore)
                + " (" + files + ")";
    }

    private static boolean anyMatch(List<String> patterns, String text) {
        return text != null && patterns.stream().anyMatch(p -> Glob.matches(p, text));
    }

    private static List<String> patterns(List<Trigger.Filter> filters, Trigger.FilterKind kind) {
        return filters.stream().filter(f -> f.kind() == kind).findFirst()
                .map(f -> f.patterns().stream().map(Expr.Str::constantText).toList())
                .orElse(null);
    }

    /** "`on push` at line 4" */
    String describe(Trigger t) {
        String name = switch (t) {
            case Trigger.Push p -> "`on push`";
            case Trigger.PullRequest p -> "`on pull_request`";
            case Trigger.Manual m -> "`on manual`";
            case Trigger.Schedule s -> "`on schedule " + ExprText.string(s.cron()) + "`";
        };
        return source == null ? name : name + " at line " + source.line(t.span().start());
    }

    /** " (branches main, develop; paths src/**)", or nothing without filters. */
    private static String details(Trigger t) {
        List<Trigger.Filter> filters = switch (t) {
            case Trigger.Push p -> p.filters();
            case Trigger.PullRequest p -> p.filters();
            default -> List.of();
        };
        if (filters.isEmpty()) {
            return t instanceof Trigger.Schedule s && s.tz() != null ? " (tz " + s.tz().constantText() + ")" : "";
        }
        return filters.stream()
                .map(f -> f.kind().keyword() + " " + f.patterns().stream().map(Expr.Str::constantText)
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ", " (", ")"));
    }
}
