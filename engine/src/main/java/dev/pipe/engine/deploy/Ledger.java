package dev.pipe.engine.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pipe.engine.journal.FileNames;
import dev.pipe.lang.diag.Suggest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What was deployed where: each environment's {@code history.jsonl} under
 * {@code <state>/environments/<env>/} ({@link EnvironmentDir}), one {@link Deployment} per line,
 * appended when a deploying stage ends.
 *
 * <p>An append returns once its line is on disk. Appends by several processes at once are
 * serialised by a lock on {@code history.lock}; readers need no lock, as a line is only ever
 * added at the end. A kill or power cut during an append can leave a torn last line: readers
 * leave it out ({@link HistoryFile#torn}) and the next append cuts it off before writing.
 * A line damaged anywhere else is a {@link LedgerException}: such a history cannot be trusted.
 */
public final class Ledger {
    private final Path stateDir;

    /** The ledger of a state directory, such as {@code <repository>/.pipe}. */
    public Ledger(Path stateDir) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The history file of {@code environment} (which may not exist yet). */
    public Path file(String environment) {
        return EnvironmentDir.of(stateDir, environment).history();
    }

    /** Records an attempt; see {@link #append(Deployment, UnaryOperator)}. */
    public void append(Deployment deployment) throws IOException {
        append(deployment, UnaryOperator.identity());
    }

    /**
     * Records an attempt at the end of its environment's history and forces it to disk before
     * returning. Every string value passes through {@code masker} first, so a secret in a cause or
     * a comment never reaches the file.
     */
    public void append(Deployment deployment, UnaryOperator<String> masker) throws IOException {
        Objects.requireNonNull(deployment, "deployment");
        EnvironmentDir env = EnvironmentDir.of(stateDir, deployment.environment());
        byte[] line = (DeployJson.line(deployment, masker) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.createDirectories(env.dir());
        FileMutex.with(env.historyLock(), () -> {
            Path file = env.history();
            boolean created = !Files.exists(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long end = channel.size();
                if (end > 0) {
                    long valid = validLength(file);
                    if (valid != end) {
                        channel.truncate(valid);
                        end = valid;
                    }
                }
                ByteBuffer buffer = ByteBuffer.wrap(line);
                long at = end;
                while (buffer.hasRemaining()) {
                    at += channel.write(buffer, at);
                }
                // force(true): the append changes the file's size, which must be durable too.
                channel.force(true);
            }
            if (created) {
                AtomicFiles.syncDirectory(env.dir());
            }
            return null;
        });
    }

    /** The length of the history without its torn last line, if it has one. */
    private static long validLength(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Parsed parsed = parse(bytes, file.toString());
        return parsed.validLength;
    }

    /** Every attempt on {@code environment} with the torn last line, if any; no file reads as empty. */
    public HistoryFile read(String environment) throws IOException {
        Path file = file(environment);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new HistoryFile(List.of(), Optional.empty());
        }
        Parsed parsed = parse(bytes, file.toString());
        return new HistoryFile(parsed.entries, Optional.ofNullable(parsed.torn));
    }

    /** Every attempt on {@code environment}, newest first. */
    public List<Deployment> history(String environment) throws IOException {
        return read(environment).newestFirst();
    }

    /**
     * What runs in {@code environment} now: the newest successful attempt (a deploy or a manual
     * rollback), with the newest later attempt that may have changed the environment without
     * putting anything back, if there is one. A rolled-back attempt leaves the version before it
     * in place, which is the newest successful attempt before it, so it changes nothing here.
     * Empty when nothing was ever deployed successfully.
     */
    public Optional<Current> current(String environment) throws IOException {
        List<Deployment> entries = read(environment).entries();
        int at = currentIndex(entries);
        if (at < 0) {
            return Optional.empty();
        }
        Deployment unsettledBy = null;
        for (int i = entries.size() - 1; i > at && unsettledBy == null; i--) {
            if (entries.get(i).unsettling()) {
                unsettledBy = entries.get(i);
            }
        }
        return Optional.of(new Current(entries.get(at), Optional.ofNullable(unsettledBy)));
    }

    /** The index of the newest successful entry, or -1. */
    private static int currentIndex(List<Deployment> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).succeeded()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What a run's rollback puts back: the newest successful attempt on {@code environment}
     * appended before the first entry of run {@code beforeRun}, so neither this run's own
     * deployments nor any appended after them count. A run still deploying has no entry yet, so
     * for it this is the newest successful attempt. This is {@code previous.version} and
     * {@code previous.run} in a stage that deploys; empty before the first success.
     */
    public Optional<Deployment> previous(String environment, String beforeRun) throws IOException {
        Objects.requireNonNull(beforeRun, "beforeRun");
        Deployment last = null;
        for (Deployment d : read(environment).entries()) {
            if (d.runId().equals(beforeRun)) {
                break;
            }
            if (d.succeeded()) {
                last = d;
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * The newest successful deployment of {@code version} to {@code environment}, for
     * {@code pipe rollback ENV --to VERSION}.
     *
     * @throws LedgerException when the version never ran there successfully, naming the versions
     *     that did
     */
    public Deployment find(String environment, String version) throws IOException {
        Objects.requireNonNull(version, "version");
        List<Deployment> newest = history(environment);
        for (Deployment d : newest) {
            if (d.succeeded() && version.equals(d.version())) {
                return d;
            }
        }
        List<String> good = successfulVersions(newest);
        if (good.isEmpty()) {
            throw new LedgerException("nothing was ever deployed successfully to " + environment
                    + ", so there is no version to roll back to.");
        }
        String known = "versions deployed successfully, newest first: " + Suggest.list(good, 5) + ".";
        Optional<Deployment> tried = newest.stream().filter(d -> version.equals(d.version())).findFirst();
        if (tried.isPresent()) {
            Deployment t = tried.get();
            throw new LedgerException("`" + version + "` was never deployed successfully to " + environment
                    + " (run " + t.runId() + " tried and it " + outcomeWords(t) + "); " + known);
        }
        String near = Suggest.closest(version, good);
        throw new LedgerException("`" + version + "` was never deployed to " + environment + "; "
                + (near == null ? "" : "did you mean `" + near + "`? ") + known);
    }

    /**
     * What {@code pipe rollback ENV} without {@code --to} goes back to: the newest successful
     * deployment of a version other than the one running now, made before it.
     *
     * @throws LedgerException when there is no such deployment
     */
    public Deployment rollbackTarget(String environment) throws IOException {
        List<Deployment> entries = read(environment).entries();
        int at = currentIndex(entries);
        if (at < 0) {
            throw new LedgerException("nothing was ever deployed successfully to " + environment
                    + ", so there is no version to roll back to.");
        }
        Deployment now = entries.get(at);
        for (int i = at - 1; i >= 0; i--) {
            Deployment d = entries.get(i);
            if (d.succeeded() && !Objects.equals(d.version(), now.version())) {
                return d;
            }
        }
        throw new LedgerException(environment + " runs " + versionWords(now.version())
                + " and no other version was deployed successfully before it, so there is nothing to roll back to.");
    }

    /** The environments that have a history, in name order. */
    public List<String> environments() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(EnvironmentDir.environments(stateDir))) {
            for (Path dir : dirs) {
                String file = dir.getFileName().toString();
                if (Files.exists(dir.resolve("history.jsonl")) && !FileNames.isShortened(file)) {
                    try {
                        names.add(FileNames.decode(file));
                    } catch (IllegalArgumentException e) {
                        // Not a directory pipe made; leave it alone.
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    private static List<String> successfulVersions(List<Deployment> newestFirst) {
        LinkedHashSet<String> versions = new LinkedHashSet<>();
        for (Deployment d : newestFirst) {
            if (d.succeeded() && d.version() != null) {
                versions.add(d.version());
            }
        }
        return List.copyOf(versions);
    }

    private static String outcomeWords(Deployment d) {
        return switch (d.outcome()) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case ROLLED_BACK -> "was rolled back";
            case ROLLBACK_FAILED -> "failed, and so did its rollback";
        };
    }

    private static String versionWords(String version) {
        return version == null ? "a deployment without a version" : "`" + version + "`";
    }

    /**
     * What runs in an environment now.
     *
     * @param deployment the newest successful attempt, which put {@code version} there
     * @param unsettledBy the newest later attempt that ran steps and then failed without putting
     *     anything back (outcome {@code failed} with {@code changed}, or {@code rollback_failed}):
     *     when present, the environment may no longer run {@code version}
     */
    public record Current(Deployment deployment, Optional<Deployment> unsettledBy) {
        public String version() {
            return deployment.version();
        }

        public String runId() {
            return deployment.runId();
        }
    }

    private record Parsed(List<Deployment> entries, String torn, long validLength) {
    }

    private static Parsed parse(byte[] bytes, String name) {
        List<Deployment> entries = new ArrayList<>();
        int start = 0;
        int line = 0;
        while (start < bytes.length) {
            line++;
            int newline = indexOf(bytes, (byte) '\n', start);
            if (newline < 0) {
                return new Parsed(entries, "line " + line + " does not end with a newline", start);
            }
            try {
                entries.add(decode(bytes, start, newline - start));
            } catch (IOException | IllegalArgumentException e) {
                if (newline == bytes.length - 1) {
                    return new Parsed(entries, "line " + line + " is not a whole entry (" + DeployJson.why(e) + ")", start);
                }
                throw new LedgerException("line " + line + " of " + name + " is damaged (" + DeployJson.why(e)
                        + "); only the last line may be torn, so this history cannot be trusted.", e);
            }
            start = newline + 1;
        }
        return new Parsed(entries, null, bytes.length);
    }

    private static Deployment decode(byte[] bytes, int offset, int length) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("it is not UTF-8 text", e);
        }
        JsonNode node = DeployJson.MAPPER.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IOException("it is not a JSON object");
        }
        try {
            return DeployJson.MAPPER.treeToValue(node, Deployment.class);
        } catch (JsonProcessingException e) {
            throw new IOException(DeployJson.why(e), e);
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
