package dev.pipe.stdlib.git;

import dev.pipe.engine.plan.EventKind;
import dev.pipe.stdlib.release.Semver;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The event and the {@code git.*} facts of a plan or a run, read from the repository that holds
 * the pipeline file, with what the person said on the command line taking precedence.
 *
 * <p>The rules, which docs/language.md states for users:
 * <ul>
 *   <li>The commit is {@code --sha} when the clone has it, else HEAD. Its sha, message, author and
 *       {@code git describe --tags --always} come from the repository.</li>
 *   <li>Without {@code --event}, {@code --tag} or {@code --branch}, the event is a tag push when a
 *       tag points at the commit (the highest semantic version when several do), else a push to
 *       the checked-out branch; on a detached HEAD (a CI checkout) the one branch, local or
 *       remote-tracking, whose tip it is; a detached HEAD that no tag and no single branch names is an error, since the branch
 *       cannot be told.</li>
 *   <li>Changed files, unless {@code --changed} names them: since {@code --base} when given; for a
 *       pull request since the merge-base with the target branch ({@code origin/TARGET}, else the
 *       local branch); otherwise since the commit's first parent (every file for a root commit).
 *       A shallow clone that lacks the base leaves them unknown and says so.</li>
 *   <li>Outside a repository, the options alone describe the event (a push to {@code main} by
 *       default) and the facts are unknown with the reason given.</li>
 * </ul>
 */
public final class GitContext {
    private GitContext() {
    }

    /**
     * What the person said; null means "ask git".
     *
     * @param changed the changed files, or null
     */
    public record Given(EventKind kind, String branch, String tag, String sha, String base, List<String> changed) {
    }

    /**
     * The event and facts to plan with.
     *
     * @param gitUnknown why sha, message, author and describe are unknown, or null
     * @param changedUnknown why the changed files are unknown, or null
     */
    public record Answer(EventKind kind, String branch, String tag, String sha, String message, String author,
            String describe, List<String> changed, String gitUnknown, String changedUnknown) {
    }

    /**
     * @param dir the folder of the pipeline file
     * @throws GitException when git cannot answer what was asked: a repository with no commits,
     *     a detached HEAD with no branch given, a {@code --base} the clone does not have
     */
    public static Answer read(Path dir, Given given) throws GitException {
        Optional<GitRepo> found = GitRepo.find(dir);
        if (found.isEmpty()) {
            return outside(dir, given);
        }
        try (GitRepo repo = found.get()) {
            return inside(repo, given);
        }
    }

    private static Answer outside(Path dir, Given g) throws GitException {
        if (g.base() != null) {
            throw new GitException("--base needs a git repository, and " + dir.toAbsolutePath().normalize()
                    + " is not in one");
        }
        EventKind kind = g.kind() != null ? g.kind() : g.tag() != null ? EventKind.TAG : EventKind.PUSH;
        String branch = g.branch() != null ? g.branch()
                : kind == EventKind.PUSH || kind == EventKind.PULL_REQUEST ? "main" : null;
        String why = "the pipeline is not in a git repository";
        return new Answer(kind, branch, g.tag(), g.sha(), null, null, null, g.changed(), why,
                g.changed() == null ? why : null);
    }

    private static Answer inside(GitRepo repo, Given g) throws GitException {
        ObjectId head = repo.head();
        if (head == null) {
            throw new GitException("the git repository at " + repo.where()
                    + " has no commits yet, so there is nothing to build; commit first");
        }
        ObjectId commit = head;
        String gitUnknown = null;
        if (g.sha() != null) {
            commit = repo.resolve(g.sha());
            if (commit == null) {
                gitUnknown = "commit " + g.sha() + " (--sha) is not in this clone";
            }
        }
        String headTag = commit == null ? null : bestTag(repo.tagsAt(commit));
        EventKind kind = g.kind() != null ? g.kind()
                : g.tag() != null ? EventKind.TAG
                : g.branch() != null ? EventKind.PUSH
                : headTag != null ? EventKind.TAG : EventKind.PUSH;
        String tag = g.tag() != null ? g.tag() : kind == EventKind.TAG ? headTag : null;
        String branch = g.branch();
        if (branch == null && kind == EventKind.PUSH) {
            branch = repo.branch();
            if (branch == null) {
                // A detached HEAD, as CI systems check out: the branch whose tip it is, if only one.
                List<String> tips = commit == null ? List.of() : repo.branchesAt(commit);
                if (tips.size() == 1) {
                    branch = tips.get(0);
                } else {
                    throw new GitException("HEAD is detached at " + head.abbreviate(7).name() + " and "
                            + (tips.isEmpty() ? "neither a tag nor a branch points at it"
                                    : "several branches point at it (" + String.join(", ", tips) + ")")
                            + ", so pipe cannot tell which branch was pushed; pass --branch NAME");
                }
            }
        } else if (branch == null && kind == EventKind.PULL_REQUEST) {
            branch = "main";
        } else if (branch == null && (kind == EventKind.MANUAL || kind == EventKind.SCHEDULE)) {
            // A manual or scheduled run builds the checkout: git.branch is its branch (none when detached).
            branch = repo.branch();
        }
        if (commit == null) {
            return new Answer(kind, branch, tag, g.sha(), null, null, null, g.changed(), gitUnknown,
                    g.changed() == null ? gitUnknown : null);
        }
        GitRepo.Commit c = repo.commit(commit);
        List<String> changed = g.changed();
        String changedUnknown = null;
        if (changed == null) {
            Changed ch = changed(repo, kind, branch, commit, g.base());
            changed = ch.files();
            changedUnknown = ch.why();
        }
        return new Answer(kind, branch, tag, c.sha(), c.message(), c.author(), repo.describe(commit), changed, null,
                changedUnknown);
    }

    private record Changed(List<String> files, String why) {
    }

    private static Changed changed(GitRepo repo, EventKind kind, String branch, ObjectId commit, String base)
            throws GitException {
        String shortSha = commit.abbreviate(7).name();
        if (base != null) {
            ObjectId from = repo.resolve(base);
            if (from == null) {
                throw new GitException("--base " + base + " is not a commit in this clone"
                        + (repo.shallow() ? " (it is a shallow clone: fetch more history with `git fetch --deepen=N`)" : ""));
            }
            return new Changed(repo.changedFiles(from, commit), null);
        }
        if (kind == EventKind.PULL_REQUEST) {
            ObjectId target = repo.resolve("refs/remotes/origin/" + branch);
            if (target == null) {
                target = repo.resolve("refs/heads/" + branch);
            }
            if (target == null) {
                return new Changed(null, "the target branch " + branch
                        + " is not in this clone; fetch it with `git fetch origin " + branch + "`");
            }
            ObjectId mergeBase = repo.mergeBase(commit, target);
            if (mergeBase == null) {
                return new Changed(null, repo.shallow()
                        ? "the merge-base of " + shortSha + " and " + branch + " is missing from this shallow clone;"
                                + " fetch more history with `git fetch --deepen=N` or `git fetch --unshallow`"
                        : shortSha + " and " + branch + " share no history");
            }
            return new Changed(repo.changedFiles(mergeBase, commit), null);
        }
        if (repo.historyEndsAt(commit)) {
            return new Changed(null, "this is a shallow clone and the commit before " + shortSha
                    + " was not fetched; fetch it with `git fetch --deepen=1`, or pass --base REV");
        }
        // A root commit (no parent): everything in it is new.
        ObjectId parent = repo.firstParent(commit);
        return new Changed(repo.changedFiles(parent, commit), null);
    }

    /** Of the tags on a commit, the highest semantic version, else the last by name; null when none. */
    static String bestTag(List<String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        return tags.stream().flatMap(t -> Semver.parse(t).map(v -> java.util.Map.entry(t, v)).stream())
                .max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey)
                .orElse(tags.stream().max(Comparator.naturalOrder()).orElseThrow());
    }
}
