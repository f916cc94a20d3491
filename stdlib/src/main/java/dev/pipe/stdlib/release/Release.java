package dev.pipe.stdlib.release;

import dev.pipe.stdlib.git.GitException;
import dev.pipe.stdlib.git.GitRepo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The next release of a repository: the last release tag, the conventional commits made since,
 * how far they move the version and the version they lead to.
 *
 * <p>The last release is the highest semantic-version tag that is not a pre-release and names
 * HEAD or one of its ancestors (or the tag given as {@code since}). The bump is the largest of
 * the commits': a breaking change is major, {@code feat} minor, {@code fix} patch, anything else
 * nothing. With no release yet the version grows from 0.0.0, and a first release with no
 * {@code feat} or {@code fix} is 0.1.0. The next tag is spelled like the last ({@code v} or not;
 * {@code v} when there is none).
 *
 * @param last the last release, or null
 * @param lastTag its tag, or null
 * @param commits the conventional commits since, newest first
 * @param skipped how many commits since are not conventional (merges, "wip"), for the log
 */
public record Release(Semver last, String lastTag, List<ConventionalCommit> commits, int skipped, Semver.Bump bump,
        Semver next) {

    /**
     * @param since a tag to start from instead of the last release tag, or null
     * @throws GitException when the repository has no commits, {@code since} is not a tag of the
     *     clone, or a shallow clone lacks the history since the last release
     */
    public static Release of(GitRepo repo, String since) throws GitException {
        return of(repo, repo.requireHead(), since);
    }

    /** The release of {@code head} rather than of HEAD. */
    public static Release of(GitRepo repo, org.eclipse.jgit.lib.ObjectId head, String since) throws GitException {
        GitRepo.Tag base = null;
        Semver last = null;
        if (since != null) {
            base = repo.tags().stream().filter(t -> t.name().equals(since)).findFirst()
                    .orElseThrow(() -> new GitException("tag " + since + " is not in this clone"
                            + (safeShallow(repo) ? "; fetch tags and history with `git fetch --unshallow --tags`" : "")));
            last = Semver.parse(since).orElse(null);
        } else {
            for (GitRepo.Tag t : repo.tags()) {
                Optional<Semver> v = Semver.parse(t.name()).filter(Semver::release);
                if (v.isPresent() && (last == null || v.get().compareTo(last) > 0) && repo.isAncestor(t.commit(), head)) {
                    last = v.get();
                    base = t;
                }
            }
        }
        GitRepo.History history = repo.log(head, base == null ? null : base.commit());
        if (history.cut()) {
            throw new GitException(base == null
                    ? "this shallow clone has no release tag in its history, so the commits of the release are not known;"
                            + " fetch history and tags with `git fetch --unshallow --tags`"
                    : "this shallow clone lacks some of the history since " + base.name()
                            + "; fetch it with `git fetch --unshallow --tags`");
        }
        List<ConventionalCommit> commits = new ArrayList<>();
        int skipped = 0;
        Semver.Bump bump = Semver.Bump.NONE;
        for (GitRepo.Commit c : history.commits()) {
            Optional<ConventionalCommit> cc = ConventionalCommit.parse(c.sha(), c.message());
            if (cc.isPresent()) {
                commits.add(cc.get());
                bump = bump.max(cc.get().bump());
            } else {
                skipped++;
            }
        }
        Semver from = last != null ? last : Semver.ZERO;
        Semver next = last == null && bump == Semver.Bump.NONE ? from.bump(Semver.Bump.MINOR) : from.bump(bump);
        return new Release(last, base == null ? null : base.name(), List.copyOf(commits), skipped,
                last == null && bump == Semver.Bump.NONE ? Semver.Bump.MINOR : bump, next);
    }

    private static boolean safeShallow(GitRepo repo) {
        try {
            return repo.shallow();
        } catch (GitException e) {
            return false;
        }
    }

    /**
     * The release notes as Markdown: a heading with the next version, then breaking changes,
     * features and fixes, one line per commit with its scope in bold and its short sha. Other
     * types (docs, chore, ci...) are left out.
     */
    public String markdown() {
        StringBuilder md = new StringBuilder("## ").append(next.tag()).append('\n');
        List<ConventionalCommit> breaking = commits.stream().filter(ConventionalCommit::breaking).toList();
        List<ConventionalCommit> feats = commits.stream().filter(c -> !c.breaking() && c.type().equals("feat")).toList();
        List<ConventionalCommit> fixes = commits.stream().filter(c -> !c.breaking() && c.type().equals("fix")).toList();
        section(md, "Breaking changes", breaking, true);
        section(md, "Features", feats, false);
        section(md, "Fixes", fixes, false);
        if (breaking.isEmpty() && feats.isEmpty() && fixes.isEmpty()) {
            md.append("\nNo notable changes").append(lastTag == null ? "" : " since " + lastTag).append(".\n");
        }
        return md.toString();
    }

    private static void section(StringBuilder md, String title, List<ConventionalCommit> commits, boolean breaking) {
        if (commits.isEmpty()) {
            return;
        }
        md.append("\n### ").append(title).append("\n\n");
        for (ConventionalCommit c : commits) {
            md.append("- ");
            if (c.scope() != null) {
                md.append("**").append(c.scope()).append(":** ");
            }
            md.append(c.description());
            md.append(" (").append(c.sha(), 0, Math.min(7, c.sha().length())).append(")\n");
            if (breaking && c.breakingNote() != null) {
                md.append("  ").append(c.breakingNote()).append('\n');
            }
        }
    }
}
