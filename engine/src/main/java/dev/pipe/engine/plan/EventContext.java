package dev.pipe.engine.plan;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The event a plan is made for, and what is known about the run at plan time.
 *
 * @param kind what started the run
 * @param branch the pushed branch; for a pull request the <em>target</em> branch (the branch the
 *     pull request merges into), which is what {@code on pull_request branches [...]} filters and
 *     what {@code git.branch} reads; null for a tag push and unset elsewhere
 * @param tag the pushed tag for a {@link EventKind#TAG} event, else null
 * @param inputs {@code --input name=value} pairs as typed, in the order given; the planner checks
 *     and converts them
 * @param changed the changed files, or null when unknown (then path filters are not applied and
 *     {@code changed(...)} is decided at run time)
 * @param at the clock: windows are judged at this instant
 * @param triggeredBy who starts the run, or null when unknown; a person cannot approve their own
 *     run when the environment says {@code self_approval false}
 * @param sha {@code git.sha}, or null when unknown at plan time
 * @param shortSha {@code git.short_sha}; derived from {@code sha} when null
 * @param message {@code git.message}, or null
 * @param author {@code git.author}, or null
 * @param gitDescribe {@code git describe --tags --always} of the commit: the version of a stage that
 *     deploys without saying {@code version}; null when unknown
 * @param gitUnknown why the commit's facts ({@code git.sha}, {@code git.message}...) are not
 *     known, such as "not in a git repository"; null when they are, or no reason is known
 * @param changedUnknown why the changed files are not known (a shallow clone lacks the base
 *     commit); null when they are known, or no reason is known
 */
public record EventContext(
        EventKind kind,
        String branch,
        String tag,
        Map<String, String> inputs,
        List<String> changed,
        Instant at,
        String triggeredBy,
        String sha,
        String shortSha,
        String message,
        String author,
        String gitDescribe,
        String gitUnknown,
        String changedUnknown) {

    public EventContext {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        inputs = inputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        changed = changed == null ? null : List.copyOf(changed);
        if (shortSha == null && sha != null) {
            shortSha = sha.length() > 7 ? sha.substring(0, 7) : sha;
        }
    }

    public static Builder builder(EventKind kind, Instant at) {
        return new Builder(kind, at);
    }

    public static EventContext push(String branch, Instant at) {
        return builder(EventKind.PUSH, at).branch(branch).build();
    }

    public static EventContext tag(String tag, Instant at) {
        return builder(EventKind.TAG, at).tag(tag).build();
    }

    /** A pull request into {@code targetBranch}. */
    public static EventContext pullRequest(String targetBranch, Instant at) {
        return builder(EventKind.PULL_REQUEST, at).branch(targetBranch).build();
    }

    public static EventContext manual(Map<String, String> inputs, Instant at) {
        return builder(EventKind.MANUAL, at).inputs(inputs).build();
    }

    public static EventContext schedule(Instant at) {
        return builder(EventKind.SCHEDULE, at).build();
    }

    /** A person's description: "a push to `main`", "a manual run". */
    public String describe() {
        return switch (kind) {
            case PUSH -> branch == null ? "a push" : "a push to `" + branch + "`";
            case TAG -> tag == null ? "a tag push" : "a push of tag `" + tag + "`";
            case PULL_REQUEST -> branch == null ? "a pull request" : "a pull request into `" + branch + "`";
            case MANUAL -> "a manual run";
            case SCHEDULE -> "a scheduled run";
        };
    }

    /** Sets the fields one by one; {@link #build()} makes the record. */
    public static final class Builder {
        private final EventKind kind;
        private final Instant at;
        private String branch;
        private String tag;
        private final Map<String, String> inputs = new LinkedHashMap<>();
        private List<String> changed;
        private String triggeredBy;
        private String sha;
        private String shortSha;
        private String message;
        private String author;
        private String gitDescribe;
        private String gitUnknown;
        private String changedUnknown;

        private Builder(EventKind kind, Instant at) {
            this.kind = kind;
            this.at = at;
        }

        public Builder branch(String value) {
            branch = value;
            return this;
        }

        public Builder tag(String value) {
            tag = value;
            return this;
        }

        /** Adds one {@code --input name=value}; a repeated name keeps the last value, as a shell user expects. */
        public Builder input(String name, String value) {
            inputs.put(name, value);
            return this;
        }

        public Builder inputs(Map<String, String> values) {
            if (values != null) {
                inputs.putAll(values);
            }
            return this;
        }

        /** The changed files; null means unknown. */
        public Builder changed(List<String> files) {
            changed = files;
            return this;
        }

        public Builder triggeredBy(String user) {
            triggeredBy = user;
            return this;
        }

        public Builder sha(String value) {
            sha = value;
            return this;
        }

        public Builder shortSha(String value) {
            shortSha = value;
            return this;
        }

        public Builder message(String value) {
            message = value;
            return this;
        }

        public Builder author(String value) {
            author = value;
            return this;
        }

        /** {@code git describe} of the commit. */
        public Builder gitDescribe(String value) {
            gitDescribe = value;
            return this;
        }

        /** Why the commit's facts are not known. */
        public Builder gitUnknown(String why) {
            gitUnknown = why;
            return this;
        }

        /** Why the changed files are not known. */
        public Builder changedUnknown(String why) {
            changedUnknown = why;
            return this;
        }

        public EventContext build() {
            return new EventContext(kind, branch, tag, inputs, changed, at, triggeredBy, sha, shortSha, message, author,
                    gitDescribe, gitUnknown, changedUnknown);
        }
    }
}
