package dev.pipe.stdlib.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A git repository read with JGit: the one that holds a folder, found the way {@code git} finds
 * it (walking up to a {@code .git} folder or file, so linked worktrees and submodules work).
 * Only reads, except {@link #tag}; the environment's {@code GIT_DIR} is not consulted, so the
 * repository is always the one around the pipeline file.
 */
public final class GitRepo implements AutoCloseable {
    private final Repository repo;
    private final Path workTree;

    private GitRepo(Repository repo) {
        this.repo = repo;
        this.workTree = repo.isBare() ? null : repo.getWorkTree().toPath();
    }

    /**
     * The repository that holds {@code dir}, or empty when {@code dir} is not inside one.
     *
     * @throws GitException when there is a repository but it cannot be opened
     */
    public static Optional<GitRepo> find(Path dir) throws GitException {
        skipSystemConfig();
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        builder.findGitDir(dir.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GitRepo(builder.build()));
        } catch (RepositoryNotFoundException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new GitException("the git repository at " + builder.getGitDir() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean SYSTEM_CONFIG_SKIPPED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * JGit finds the system-wide git configuration (/etc/gitconfig) by running {@code git}, which
     * costs half a second on every start of pipe; nothing pipe reads depends on it, so it is
     * treated as empty. The user's configuration (user.name for annotated tags) is still read.
     */
    private static void skipSystemConfig() {
        if (SYSTEM_CONFIG_SKIPPED.compareAndSet(false, true)) {
            org.eclipse.jgit.util.SystemReader.setInstance(
                    new org.eclipse.jgit.util.SystemReader.Delegate(org.eclipse.jgit.util.SystemReader.getInstance()) {
                        @Override
                        public org.eclipse.jgit.storage.file.FileBasedConfig openSystemConfig(
                                org.eclipse.jgit.lib.Config parent, org.eclipse.jgit.util.FS fs) {
                            return new org.eclipse.jgit.storage.file.FileBasedConfig(parent, null, fs) {
                                @Override
                                public void load() {
                                }

                                @Override
                                public boolean isOutdated() {
                                    return false;
                                }
                            };
                        }
                    });
        }
    }

    /** Like {@link #find}, but the folder must be inside a repository. */
    public static GitRepo open(Path dir) throws GitException {
        return find(dir).orElseThrow(() -> new GitException(dir.toAbsolutePath().normalize() + " is not in a git repository"));
    }

    Repository jgit() {
        return repo;
    }

    /** The checkout's top folder; null for a bare repository. */
    public Path workTree() {
        return workTree;
    }

    /** The commit HEAD points at, or null in a repository with no commits yet. */
    public ObjectId head() throws GitException {
        try {
            return repo.resolve(Constants.HEAD);
        } catch (IOException e) {
            throw new GitException("HEAD cannot be read: " + e.getMessage(), e);
        }
    }

    /** The commit HEAD points at; fails in one sentence when there is none yet. */
    public ObjectId requireHead() throws GitException {
        ObjectId head = head();
        if (head == null) {
            throw new GitException("the git repository at " + where() + " has no commits yet");
        }
        return head;
    }

    /** The checked-out branch, or null on a detached HEAD. */
    public String branch() throws GitException {
        try {
            String full = repo.getFullBranch();
            return full != null && full.startsWith(Constants.R_HEADS) ? full.substring(Constants.R_HEADS.length()) : null;
        } catch (IOException e) {
            throw new GitException("HEAD cannot be read: " + e.getMessage(), e);
        }
    }

    /** A revision (a sha, a branch, a tag, {@code HEAD~2}) as a commit, or null when there is no such commit. */
    public ObjectId resolve(String revision) throws GitException {
        try {
            ObjectId id = repo.resolve(revision + "^{commit}");
            if (id == null) {
                return null;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                walk.parseCommit(id);
            }
            return id;
        } catch (MissingObjectException e) {
            return null;
        } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
            return null;
        }
    }

    /** What {@code git log -1} says about a commit. */
    public record Commit(String sha, String message, String author, String authorEmail, int parents) {
    }

    public Commit commit(ObjectId id) throws GitException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(id);
            return new Commit(c.name(), c.getFullMessage().strip(), c.getAuthorIdent().getName(),
                    c.getAuthorIdent().getEmailAddress(), c.getParentCount());
        } catch (IOException e) {
            throw new GitException("commit " + id.name() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Whether the clone's history is cut short ({@code git clone --depth N}). */
    public boolean shallow() throws GitException {
        return !shallowCommits().isEmpty();
    }

    private Set<ObjectId> shallowCommits() throws GitException {
        try {
            return repo.getObjectDatabase().getShallowCommits();
        } catch (IOException e) {
            throw new GitException("the shallow-clone list cannot be read: " + e.getMessage(), e);
        }
    }

    /** Whether the clone's history stops at this commit: its parents were not fetched. */
    public boolean historyEndsAt(ObjectId id) throws GitException {
        return shallowCommits().contains(id);
    }

    /** The tags that point at a commit (annotated ones peeled), sorted by name. */
    /**
     * The names of the branches whose tip is {@code commit}: local ones, and remote-tracking ones
     * without their remote's name ({@code origin/main} is {@code main}), sorted, each once. A CI
     * checkout is usually a detached HEAD at the tip of the branch that was pushed.
     */
    public List<String> branchesAt(ObjectId commit) throws GitException {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        try {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                if (commit.equals(ref.getObjectId())) {
                    out.add(ref.getName().substring(Constants.R_HEADS.length()));
                }
            }
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES)) {
                String name = ref.getName().substring(Constants.R_REMOTES.length());
                int slash = name.indexOf('/');
                if (!ref.isSymbolic() && slash > 0 && commit.equals(ref.getObjectId())) {
                    out.add(name.substring(slash + 1));
                }
            }
        } catch (IOException e) {
            throw new GitException("the branches cannot be read: " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    public List<String> tagsAt(ObjectId commit) throws GitException {
        List<String> out = new ArrayList<>();
        try {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                if (commit.equals(peel(ref))) {
                    out.add(ref.getName().substring(Constants.R_TAGS.length()));
                }
            }
        } catch (IOException e) {
            throw new GitException("the tags cannot be read: " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Every tag with the commit it names. */
    public List<Tag> tags() throws GitException {
        List<Tag> out = new ArrayList<>();
        try {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                ObjectId id = peel(ref);
                if (id != null) {
                    out.add(new Tag(ref.getName().substring(Constants.R_TAGS.length()), id));
                }
            }
        } catch (IOException e) {
            throw new GitException("the tags cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    public record Tag(String name, ObjectId commit) {
    }

    private ObjectId peel(Ref ref) throws IOException {
        Ref peeled = repo.getRefDatabase().peel(ref);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
    }

    /**
     * {@code git describe --tags --always}: the nearest tag, how far the commit is from it, and its
     * short sha. Version tags ({@code v1.2.3}, {@code 1.2.3}) are preferred over other tags, and of
     * several on one commit the highest version wins, so that {@code nightly} beside {@code v1.1.0}
     * does not name the release.
     */
    public String describe(ObjectId commit) throws GitException {
        try {
            String exact = GitContext.bestTag(tagsAt(commit));
            if (exact != null) {
                return exact;
            }
            String d = Git.wrap(repo).describe().setTarget(commit).setTags(true).setMatch("v[0-9]*.[0-9]*.[0-9]*",
                    "[0-9]*.[0-9]*.[0-9]*").call();
            if (d == null) {
                d = Git.wrap(repo).describe().setTarget(commit).setTags(true).setAlways(true).call();
            }
            return d != null ? d : commit.abbreviate(7).name();
        } catch (GitAPIException | IOException | org.eclipse.jgit.errors.InvalidPatternException | RuntimeException e) {
            // A shallow clone may lack the commits between HEAD and its tag: the short sha still names it.
            return commit.abbreviate(7).name();
        }
    }

    /** Whether {@code ancestor} is {@code commit} or one of its ancestors, in the history this clone has. */
    public boolean isAncestor(ObjectId ancestor, ObjectId commit) throws GitException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(commit));
        } catch (IOException e) {
            throw new GitException("the history cannot be read: " + e.getMessage(), e);
        }
    }

    /** The merge-base of two commits, or null when they share no history in this clone. */
    public ObjectId mergeBase(ObjectId a, ObjectId b) throws GitException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(a));
            walk.markStart(walk.parseCommit(b));
            RevCommit base = walk.next();
            return base == null ? null : base.copy();
        } catch (IOException e) {
            throw new GitException("the history cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The commits reachable from {@code from} but not from {@code exclude}, newest first.
     *
     * @param cut whether the walk reached the end of a shallow clone's history, so that older
     *     commits it should have listed are missing
     */
    public record History(List<Commit> commits, boolean cut) {
    }

    /** @param exclude where to stop (not listed), or null for the whole history */
    public History log(ObjectId from, ObjectId exclude) throws GitException {
        Set<ObjectId> ends = shallowCommits();
        List<Commit> out = new ArrayList<>();
        boolean cut = false;
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(org.eclipse.jgit.revwalk.RevSort.TOPO);
            walk.markStart(walk.parseCommit(from));
            if (exclude != null) {
                walk.markUninteresting(walk.parseCommit(exclude));
            }
            for (RevCommit c : walk) {
                out.add(new Commit(c.name(), c.getFullMessage().strip(), c.getAuthorIdent().getName(),
                        c.getAuthorIdent().getEmailAddress(), c.getParentCount()));
                cut |= ends.contains(c);
            }
        } catch (IOException e) {
            throw new GitException("the history cannot be read: " + e.getMessage(), e);
        }
        return new History(List.copyOf(out), cut);
    }

    /** The first parent of a commit, or null for a root commit (or where a shallow clone's history stops). */
    public ObjectId firstParent(ObjectId id) throws GitException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(id);
            return c.getParentCount() == 0 ? null : c.getParent(0).copy();
        } catch (IOException e) {
            throw new GitException("commit " + id.name() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The files that differ between two commits, as paths from the repository's top folder,
     * sorted; a deleted file counts as changed. A null {@code from} compares with nothing, so
     * every file of {@code to} counts.
     */
    public List<String> changedFiles(ObjectId from, ObjectId to) throws GitException {
        Set<String> out = new TreeSet<>();
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader(); TreeWalk tw = new TreeWalk(reader)) {
            tw.setRecursive(true);
            tw.addTree(from == null ? new EmptyTreeIterator() : tree(walk, reader, from));
            tw.addTree(tree(walk, reader, to));
            for (DiffEntry d : DiffEntry.scan(tw)) {
                if (d.getChangeType() == DiffEntry.ChangeType.DELETE) {
                    out.add(d.getOldPath());
                } else {
                    out.add(d.getNewPath());
                    if (!d.getOldPath().equals(DiffEntry.DEV_NULL) && !d.getOldPath().equals(d.getNewPath())) {
                        out.add(d.getOldPath());
                    }
                }
            }
        } catch (IOException e) {
            throw new GitException("the changed files cannot be read: " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    private static AbstractTreeIterator tree(RevWalk walk, ObjectReader reader, ObjectId commit) throws IOException {
        CanonicalTreeParser p = new CanonicalTreeParser();
        p.reset(reader, walk.parseCommit(commit).getTree());
        return p;
    }

    /**
     * Tags a commit: annotated with {@code message}, lightweight without. A tag of that name that
     * already names the commit is left as it is (a retried or resumed step tags again); one that
     * names another commit is an error, since moving a release tag rewrites history for others.
     *
     * @return true when the tag was created, false when it was there already
     */
    public boolean tag(String name, String message, ObjectId commit) throws GitException {
        if (!Repository.isValidRefName(Constants.R_TAGS + name)) {
            throw new GitException("`" + name + "` is not a valid tag name");
        }
        try (RevWalk walk = new RevWalk(repo)) {
            Ref existing = repo.exactRef(Constants.R_TAGS + name);
            if (existing != null) {
                ObjectId at = peel(existing);
                if (commit.equals(at)) {
                    return false;
                }
                throw new GitException("tag " + name + " already exists on " + (at == null ? "another object"
                        : at.abbreviate(7).name()) + "; pipe does not move tags");
            }
            // Never signed, whatever tag.gpgSign says: pipe has no signing keys to offer.
            Git.wrap(repo).tag().setName(name).setObjectId(walk.parseCommit(commit))
                    .setAnnotated(message != null).setMessage(message).setSigned(false).call();
            return true;
        } catch (IOException | GitAPIException e) {
            throw new GitException("tag " + name + " could not be created: " + e.getMessage(), e);
        }
    }

    /**
     * Pushes one tag to a remote. JGit speaks to the remote itself: local paths, {@code file://}
     * and HTTPS without credentials work; a remote that needs a password or an SSH key does not.
     *
     * @param timeout seconds to wait for the remote; 0 for no limit
     * @return what the remote said, such as "created" or "already there"
     */
    public String push(String remote, String tag, int timeout) throws GitException {
        if (!repo.getRemoteNames().contains(remote) && !remote.contains("/") && !remote.contains(":")) {
            throw new GitException("the repository has no remote `" + remote + "`"
                    + (repo.getRemoteNames().isEmpty() ? "" : "; its remotes are " + String.join(", ", new TreeSet<>(repo.getRemoteNames()))));
        }
        String spec = Constants.R_TAGS + tag + ":" + Constants.R_TAGS + tag;
        try {
            Iterable<org.eclipse.jgit.transport.PushResult> results = Git.wrap(repo).push().setRemote(remote)
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec(spec)).setTimeout(timeout).call();
            for (org.eclipse.jgit.transport.PushResult r : results) {
                org.eclipse.jgit.transport.RemoteRefUpdate u = r.getRemoteUpdate(Constants.R_TAGS + tag);
                if (u == null) {
                    continue;
                }
                switch (u.getStatus()) {
                    case OK -> {
                        return "created";
                    }
                    case UP_TO_DATE -> {
                        return "already there";
                    }
                    default -> throw new GitException("the remote refused tag " + tag + ": "
                            + u.getStatus().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"));
                }
            }
            throw new GitException("the remote did not answer for tag " + tag);
        } catch (GitAPIException | RuntimeException e) {
            throw new GitException("tag " + tag + " could not be pushed to " + remote + ": " + e.getMessage(), e);
        }
    }

    /** The repository's folder as a person would name it: its checkout, else its git folder. */
    public String where() {
        File dir = workTree != null ? workTree.toFile() : repo.getDirectory();
        return dir.getAbsolutePath();
    }

    @Override
    public void close() {
        repo.close();
    }
}
