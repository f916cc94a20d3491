package dev.pipe.engine.journal;

import dev.pipe.lang.diag.Suggest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The runs under a state directory ({@code <repository>/.pipe} by default): creates a run's
 * directory, lists the runs and finds one by id or by the start of its id.
 *
 * <p>Creation is safe between processes: a run's directory is made with one {@code mkdir},
 * which fails if another process made the same one first; then another id is tried.
 */
public final class RunStore {
    /** The state directory's name inside a repository. */
    public static final String STATE_DIR = ".pipe";

    private static final int TRIES = 1000;

    private final Path stateDir;
    private final Clock clock;
    private final RandomGenerator random;

    public RunStore(Path stateDir) {
        this(stateDir, Clock.systemUTC(), null);
    }

    /** With a clock and a random source for tests; a null {@code random} uses {@link ThreadLocalRandom}. */
    public RunStore(Path stateDir, Clock clock, RandomGenerator random) {
        this.stateDir = stateDir;
        this.clock = clock;
        this.random = random;
    }

    /** The store of a repository: {@code <repository>/.pipe}. */
    public static RunStore forRepository(Path repository) {
        return new RunStore(repository.resolve(STATE_DIR));
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path runsDir() {
        return stateDir.resolve("runs");
    }

    /** Makes the directory of a new run, with a fresh id. */
    public RunDir create() throws IOException {
        Path runs = runsDir();
        Files.createDirectories(runs);
        for (int i = 0; i < TRIES; i++) {
            String id = RunIds.next(clock.instant(), random == null ? ThreadLocalRandom.current() : random);
            Path dir = runs.resolve(id);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Durable.syncDirectory(runs);
            return new RunDir(id, dir);
        }
        throw new IOException("could not find a free run id in " + runs + " after " + TRIES + " tries; is the clock stuck?");
    }

    /** Every run, newest first. Entries of {@code runs/} that are not run directories are ignored. */
    public List<RunDir> list() throws IOException {
        List<RunDir> runs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(runsDir())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (RunIds.isValid(name) && Files.isDirectory(entry)) {
                    runs.add(new RunDir(name, entry));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        runs.sort(Comparator.comparing(RunDir::id).reversed());
        return runs;
    }

    /** The newest run, if there is one. */
    public Optional<RunDir> latest() throws IOException {
        return list().stream().findFirst();
    }

    /**
     * The run with this id, or else the only run whose id starts with it (case does not matter).
     *
     * @throws RunLookupException when no run fits, with the closest id if one is near, or when
     *     several do, naming them
     */
    public RunDir find(String idOrPrefix) throws IOException {
        String wanted = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        List<RunDir> runs = list();
        if (wanted.isEmpty()) {
            throw new RunLookupException("give a run id; `pipe runs` lists them.");
        }
        List<RunDir> matches = new ArrayList<>();
        for (RunDir run : runs) {
            if (run.id().equals(wanted)) {
                return run;
            }
            if (run.id().startsWith(wanted)) {
                matches.add(run);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new RunLookupException("`" + idOrPrefix + "` fits " + matches.size() + " runs: "
                    + Suggest.list(matches.stream().map(RunDir::id).toList(), 5) + "; give more of the id.");
        }
        if (runs.isEmpty()) {
            throw new RunLookupException("there is no run `" + idOrPrefix + "`: " + runsDir() + " holds no runs yet.");
        }
        List<String> ids = runs.stream().map(RunDir::id).toList();
        String near = Suggest.closest(wanted, ids);
        if (near == null) {
            // A mistyped prefix: compare it with the ids' starts of the same length.
            near = Suggest.closest(wanted, ids.stream()
                    .map(id -> id.substring(0, Math.min(id.length(), wanted.length()))).distinct().toList());
        }
        throw new RunLookupException("there is no run `" + idOrPrefix + "` in " + runsDir()
                + (near == null ? "; " : "; did you mean `" + near + "`? ") + "`pipe runs` lists them.");
    }
}
