package dev.pipe.runner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.Executor;
import dev.pipe.engine.run.Placement;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Stages with {@code runner docker IMAGE}: one container per stage instance, made before the
 * first step and removed after the last, each step run in it with {@code docker exec}. The
 * workspace (the .pipe file's folder) is bind-mounted at the runner's {@code workdir}, or at its
 * own path when the runner names none, and the run's temporary folder at its own path, so that
 * $PIPE_OUTPUT is the same file inside and out.
 *
 * <p>A stage with services gets a network of its own, labelled with the run like everything
 * else: each service joins it under its name, and so does the steps' container. (One network
 * per stage instance rather than per run, so that two instances of a matrix stage each reach
 * their own {@code postgres}.) A service's {@code ready} command is run in it until it succeeds;
 * its output goes to {@code services/STAGE/NAME.log} in the run's folder, masked.
 */
public final class DockerPlacement implements Placement, AutoCloseable {
    private final DockerEngine engine;
    private final String runId;
    private final Path tempDir;
    private final Path serviceLogs;
    private final UnaryOperator<String> mask;
    private final Duration grace;
    private final AtomicInteger serial = new AtomicInteger();
    private final Set<Opened> open = ConcurrentHashMap.newKeySet();

    /**
     * @param tempDir the run's temporary folder, where $PIPE_OUTPUT files are made
     * @param serviceLogs where the services' logs go, a folder per stage instance
     * @param mask hides secrets in what is written to the services' logs
     */
    public DockerPlacement(DockerEngine engine, String runId, Path tempDir, Path serviceLogs, UnaryOperator<String> mask) {
        this(engine, runId, tempDir, serviceLogs, mask, ContainerExecutor.DEFAULT_GRACE);
    }

    DockerPlacement(DockerEngine engine, String runId, Path tempDir, Path serviceLogs, UnaryOperator<String> mask,
            Duration grace) {
        this.engine = engine;
        this.runId = runId;
        this.tempDir = tempDir.toAbsolutePath();
        this.serviceLogs = serviceLogs;
        this.mask = mask;
        this.grace = grace;
    }

    /** The containers and network a stage would get, as the plan shows them. */
    public static String describe(String image, List<String> services) {
        return "a container of " + image + " for the steps" + (services.isEmpty() ? ""
                : ", " + String.join(", ", services) + " on a network of the stage's own");
    }

    @Override
    public Place open(StageSpec spec, Consumer<String> notes, Cancellation cancel)
            throws PlacementException, InterruptedException {
        Opened made = new Opened(spec.stage());
        open.add(made);
        try {
            build(spec, made, notes, cancel);
            return made;
        } catch (PlacementException | InterruptedException | RuntimeException e) {
            made.close();
            if (e instanceof RuntimeException r) {
                throw new PlacementException("the containers of stage `" + spec.stage() + "` cannot be made: "
                        + DockerEngine.describe(r));
            }
            throw e;
        }
    }

    private void build(StageSpec spec, Opened made, Consumer<String> notes, Cancellation cancel)
            throws PlacementException, InterruptedException {
        DockerClient client = engine.client();
        String where = "stage `" + spec.stage() + "`";
        try {
            engine.ensureImage(spec.image(), where);
            for (Service s : spec.services()) {
                engine.ensureImage(s.image(), "service `" + s.name() + "` of " + where);
            }
        } catch (DockerEngine.ImageException e) {
            throw new PlacementException(e.getMessage());
        }
        String base = "pipe-" + runId + "-" + serial.incrementAndGet();
        Map<String, String> labels = Map.of(DockerEngine.RUN_LABEL, runId, DockerEngine.STAGE_LABEL, spec.stage());
        if (!spec.services().isEmpty()) {
            made.network = client.createNetworkCmd().withName(base).withDriver("bridge").withLabels(labels).exec().getId();
            for (Service s : spec.services()) {
                if (cancel.isCancelled()) {
                    return;
                }
                Map<String, String> l = new LinkedHashMap<>(labels);
                l.put(DockerEngine.ROLE_LABEL, "service");
                List<String> env = new ArrayList<>();
                s.env().forEach((k, v) -> env.add(k + "=" + v));
                String id = client.createContainerCmd(s.image()).withName(base + "-" + safe(s.name())).withHostName(s.name())
                        .withEnv(env).withLabels(l).withAliases(s.name())
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(made.network).withInit(true))
                        .exec().getId();
                made.containers.add(id);
                made.serviceNames.add(s.name());
                client.startContainerCmd(id).exec();
                made.logs.add(followLog(client, id, spec.stage(), s.name()));
            }
            for (Service s : spec.services()) {
                waitReady(client, made, s, spec.stage(), notes, cancel);
            }
        }
        if (cancel.isCancelled()) {
            return;
        }
        Path workspace = spec.workspace().toAbsolutePath().normalize();
        String mount = spec.workdir() != null && spec.workdir().startsWith("/") ? spec.workdir() : workspace.toString();
        String start = spec.workdir() != null && !spec.workdir().startsWith("/")
                ? Path.of(mount).resolve(spec.workdir()).normalize().toString() : mount;
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(DockerEngine.ROLE_LABEL, "steps");
        List<Bind> binds = new ArrayList<>(List.of(new Bind(workspace.toString(), new Volume(mount))));
        if (!tempDir.startsWith(workspace) || !mount.equals(workspace.toString())) {
            binds.add(new Bind(tempDir.toString(), new Volume(tempDir.toString())));
        }
        HostConfig host = HostConfig.newHostConfig().withBinds(binds).withInit(true);
        if (made.network != null) {
            host.withNetworkMode(made.network);
        }
        // The container only has to stay up: its steps come with docker exec.
        CreateContainerCmd create = client.createContainerCmd(spec.image()).withName(base + "-" + safe(spec.stage()))
                .withEntrypoint("sh", "-c", "while :; do sleep 3600; done").withCmd(List.of()).withWorkingDir(start)
                .withLabels(l).withHostConfig(host);
        if (spec.user() != null) {
            create.withUser(spec.user());
        }
        String id = create.exec().getId();
        made.containers.add(id);
        client.startContainerCmd(id).exec();
        Function<Path, String> paths = dir -> {
            Path d = dir.toAbsolutePath().normalize();
            if (d.equals(workspace)) {
                return start;
            }
            return d.startsWith(workspace) ? Path.of(mount).resolve(workspace.relativize(d)).toString() : d.toString();
        };
        made.executor = new ContainerExecutor(client, id, paths, grace);
        if (spec.user() != null) {
            made.executor = new OpenOutputs(made.executor);
        }
        notes.accept("steps run in a container of " + spec.image() + (spec.services().isEmpty() ? ""
                : ", with " + String.join(", ", spec.services().stream().map(Service::name).toList())));
    }

    /** Runs the service's ready command until it succeeds; fails when the tries run out or the service ends. */
    private void waitReady(DockerClient client, Opened made, Service s, String stage, Consumer<String> notes,
            Cancellation cancel) throws PlacementException, InterruptedException {
        String where = "stage `" + stage + "`";
        String id = made.containers.get(indexOf(made, s));
        if (s.ready() == null) {
            return;
        }
        for (int attempt = 1; attempt <= s.retries() + 1; attempt++) {
            if (cancel.isCancelled()) {
                return;
            }
            InspectContainerResponse state = client.inspectContainerCmd(id).exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                throw new PlacementException("service `" + s.name() + "` of " + where + " ended with code "
                        + state.getState().getExitCodeLong() + " before it was ready; its log is in "
                        + logFile(stage, s.name()));
            }
            if (readyOnce(client, id, s.ready())) {
                notes.accept("service " + s.name() + " is ready" + (attempt == 1 ? "" : " after " + attempt + " tries"));
                return;
            }
            if (attempt <= s.retries()) {
                CountDownLatch wake = new CountDownLatch(1);
                Runnable off = cancel.onCancel(wake::countDown);
                try {
                    wake.await(s.every().toMillis(), TimeUnit.MILLISECONDS);
                } finally {
                    off.run();
                }
            }
        }
        throw new PlacementException("service `" + s.name() + "` of " + where + " was not ready after " + (s.retries() + 1)
                + " tries of `" + s.ready() + "`; its log is in " + logFile(stage, s.name()));
    }

    private static int indexOf(Opened made, Service s) {
        return made.serviceNames.indexOf(s.name());
    }

    private static boolean readyOnce(DockerClient client, String container, String command) throws InterruptedException {
        try {
            String exec = client.execCreateCmd(container).withCmd("sh", "-c", command).withAttachStdout(true)
                    .withAttachStderr(true).exec().getId();
            try (ResultCallback.Adapter<Frame> r = client.execStartCmd(exec).exec(new ResultCallback.Adapter<>())) {
                r.awaitCompletion(60, TimeUnit.SECONDS);
            } catch (IOException e) {
                // closing a finished stream
            }
            for (int i = 0; i < 100; i++) {
                var r = client.inspectExecCmd(exec).exec();
                if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                    return r.getExitCodeLong() == 0;
                }
                Thread.sleep(5);
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Path logFile(String stage, String service) {
        return serviceLogs.resolve(dev.pipe.engine.journal.FileNames.encode(stage)).resolve(
                dev.pipe.engine.journal.FileNames.encode(service) + ".log");
    }

    /** Streams a service's output to its log file, masked line by line, until the container goes. */
    private AutoCloseable followLog(DockerClient client, String id, String stage, String service) {
        Path file = logFile(stage, service);
        Writer w;
        try {
            Files.createDirectories(file.getParent());
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            return () -> {
            };
        }
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            private final Utf8Stream text = new Utf8Stream();
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void onNext(Frame frame) {
                line.append(text.decode(frame.getPayload()));
                int nl;
                try {
                    while ((nl = line.indexOf("\n")) >= 0) {
                        w.write(mask.apply(line.substring(0, nl)));
                        w.write('\n');
                        line.delete(0, nl + 1);
                    }
                    w.flush();
                } catch (IOException e) {
                    // the log is best effort; the service runs on
                }
            }

            @Override
            public synchronized void close() throws IOException {
                try {
                    super.close();
                } finally {
                    if (!line.isEmpty()) {
                        w.write(mask.apply(line.toString()));
                        w.write('\n');
                        line.setLength(0);
                    }
                    w.close();
                }
            }
        };
        client.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true).exec(cb);
        return cb;
    }

    private static String safe(String name) {
        return name.replaceAll("[^a-zA-Z0-9_.-]", "_");
    }

    /** Removes what is left of every stage's place, then anything else labelled with the run. */
    @Override
    public void close() {
        for (Opened o : List.copyOf(open)) {
            o.close();
        }
        engine.removeRun(runId);
    }

    /**
     * With {@code user}, the steps run as someone else than pipe: the $PIPE_OUTPUT file, which
     * pipe makes readable by its owner only, is opened to them.
     */
    private static final class OpenOutputs implements Executor {
        private final Executor inner;

        OpenOutputs(Executor inner) {
            this.inner = inner;
        }

        @Override
        public dev.pipe.engine.run.ExecResult exec(dev.pipe.engine.run.ShellCommand command, dev.pipe.engine.run.OutputSink sink,
                Cancellation cancel) throws InterruptedException {
            String output = command.env().get("PIPE_OUTPUT");
            if (output != null) {
                try {
                    Files.setPosixFilePermissions(Path.of(output),
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
                } catch (IOException | UnsupportedOperationException e) {
                    // A file system without POSIX permissions throws the latter: either way the
                    // step cannot write outputs, and says so when it tries.
                }
            }
            return inner.exec(command, sink, cancel);
        }
    }

    /** One stage instance's containers and network. */
    private final class Opened implements Place {
        private final String stage;
        final List<String> containers = new ArrayList<>();
        final List<String> serviceNames = new ArrayList<>();
        final List<AutoCloseable> logs = new ArrayList<>();
        String network;
        Executor executor;
        private boolean closed;

        Opened(String stage) {
            this.stage = stage;
        }

        @Override
        public Executor executor() {
            return executor;
        }

        @Override
        public Map<String, String> baseEnv() {
            return Map.of();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (String id : containers) {
                engine.removeContainer(id);
            }
            for (AutoCloseable log : logs) {
                try {
                    log.close();
                } catch (Exception e) {
                    // the container is gone, and with it its log stream
                }
            }
            if (network != null) {
                engine.removeNetwork(network);
            }
            open.remove(this);
        }

        @Override
        public String toString() {
            return stage;
        }
    }
}
