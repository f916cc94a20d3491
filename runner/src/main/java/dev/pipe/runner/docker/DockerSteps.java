package dev.pipe.runner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import dev.pipe.engine.run.Cancellation;
import dev.pipe.engine.run.OutputSink;
import dev.pipe.engine.run.StepFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The steps that talk to the Docker engine themselves: {@code docker.build} and
 * {@code docker.run}. They run from pipe, whatever the stage's runner: the engine is the same.
 * Relative paths are taken from the .pipe file's folder.
 */
public final class DockerSteps {
    private DockerSteps() {
    }

    /** The names of the functions {@link #functions} makes. */
    public static final Set<String> NAMES = Set.of("docker.build", "docker.run");

    /**
     * @param engine the engine, connected on first use
     * @param pipeDir the .pipe file's folder
     */
    public static List<StepFunction> functions(Supplier<DockerEngine> engine, Path pipeDir, String runId) {
        return List.of(new Build(engine, pipeDir), new Run(engine, pipeDir, runId));
    }

    /**
     * Waits for {@code done}, the step's timeout or a cancel, whichever comes first.
     *
     * @return null when done, otherwise "timeout" or "cancel"
     */
    private static String await(CountDownLatch done, Cancellation cancel, Duration timeout) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runnable off = cancel.onCancel(stop::countDown);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (done.await(50, TimeUnit.MILLISECONDS)) {
                    return null;
                }
                if (stop.getCount() == 0) {
                    return "cancel";
                }
                if (System.nanoTime() > deadline) {
                    return "timeout";
                }
            }
        } finally {
            off.run();
        }
    }

    /** {@code docker.build tag: ... [context: ...] [dockerfile: ...] [args: [...]]}: outputs image_id and digest. */
    static final class Build implements StepFunction {
        private final Supplier<DockerEngine> engine;
        private final Path pipeDir;

        Build(Supplier<DockerEngine> engine, Path pipeDir) {
            this.engine = engine;
            this.pipeDir = pipeDir;
        }

        @Override
        public String name() {
            return "docker.build";
        }

        @Override
        public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
            String tag = args.named("tag");
            if (tag == null || tag.isBlank()) {
                return Result.failed("docker.build needs tag:, the image's name and tag");
            }
            Path context = pipeDir.resolve(args.named("context") == null ? "." : args.named("context")).normalize();
            if (!Files.isDirectory(context)) {
                return Result.failed("the build context " + context + " is not a folder");
            }
            Path dockerfile = args.named("dockerfile") == null ? context.resolve("Dockerfile")
                    : context.resolve(args.named("dockerfile")).normalize();
            if (!Files.isRegularFile(dockerfile)) {
                return Result.failed("there is no Dockerfile at " + dockerfile);
            }
            DockerEngine docker = engine.get();
            String unreachable = docker.unreachable();
            if (unreachable != null) {
                return Result.failed(unreachable);
            }
            DockerClient client = docker.client();
            BuildImageCmd cmd = client.buildImageCmd().withBaseDirectory(context.toFile()).withDockerfile(dockerfile.toFile())
                    .withTags(Set.of(tag)).withPull(false).withRemove(true).withForcerm(true);
            List<String> buildArgs = args.list("args") == null ? List.of() : args.list("args");
            for (String a : buildArgs) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    return Result.failed("build argument `" + a + "` is not NAME=value");
                }
                cmd.withBuildArg(a.substring(0, eq), a.substring(eq + 1));
            }
            log.write(OutputSink.Stream.STDOUT, "building " + tag + " from " + context + "\n");
            String[] error = new String[1];
            CountDownLatch done = new CountDownLatch(1);
            BuildImageResultCallback cb = new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    if (item.getStream() != null) {
                        log.write(OutputSink.Stream.STDOUT, item.getStream());
                    }
                    if (item.isErrorIndicated()) {
                        error[0] = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                ? item.getErrorDetail().getMessage() : item.getError();
                    }
                    super.onNext(item);
                }

                @Override
                public void onComplete() {
                    super.onComplete();
                    done.countDown();
                }

                @Override
                public void onError(Throwable t) {
                    if (error[0] == null) {
                        error[0] = DockerEngine.describe(t);
                    }
                    super.onError(t);
                    done.countDown();
                }
            };
            try {
                cmd.exec(cb);
            } catch (RuntimeException e) {
                return Result.failed("the build of " + tag + " did not start: " + DockerEngine.describe(e));
            }
            String stopped = await(done, cancel, timeout);
            if (stopped != null) {
                close(cb);
                return stopped.equals("timeout") ? Result.timedOut("the build of " + tag + " timed out")
                        : Result.failed("the build of " + tag + " was cancelled");
            }
            if (error[0] != null) {
                return Result.failed("the build of " + tag + " failed: " + error[0].strip());
            }
            InspectImageResponse image;
            try {
                image = client.inspectImageCmd(tag).exec();
            } catch (RuntimeException e) {
                return Result.failed("the build of " + tag + " made no image: " + DockerEngine.describe(e));
            }
            // An image that was never pushed has no registry digest; its id is the digest of its content.
            String digest = image.getRepoDigests() == null || image.getRepoDigests().isEmpty() ? image.getId()
                    : image.getRepoDigests().get(0).substring(image.getRepoDigests().get(0).indexOf('@') + 1);
            log.write(OutputSink.Stream.STDOUT, "built " + tag + " (" + image.getId() + ")\n");
            return Result.ok(Map.of("image_id", image.getId(), "digest", digest));
        }
    }

    /**
     * {@code docker.run IMAGE [command: ...] [env: [...]]}: a container of the image, with the
     * workspace mounted at its own path and the command run by {@code sh -c}; outputs exit_code
     * and fails when it is not 0. The container is removed afterwards.
     */
    static final class Run implements StepFunction {
        private final Supplier<DockerEngine> engine;
        private final Path pipeDir;
        private final String runId;

        Run(Supplier<DockerEngine> engine, Path pipeDir, String runId) {
            this.engine = engine;
            this.pipeDir = pipeDir;
            this.runId = runId;
        }

        @Override
        public String name() {
            return "docker.run";
        }

        @Override
        public Result run(Args args, OutputSink log, Cancellation cancel, Duration timeout) throws InterruptedException {
            String image = args.positional();
            if (image == null || image.isBlank()) {
                return Result.failed("docker.run needs an image, such as docker.run \"alpine:3.20\"");
            }
            DockerEngine docker = engine.get();
            String unreachable = docker.unreachable();
            if (unreachable != null) {
                return Result.failed(unreachable);
            }
            try {
                docker.ensureImage(image, "docker.run");
            } catch (DockerEngine.ImageException e) {
                return Result.failed(e.getMessage());
            }
            DockerClient client = docker.client();
            List<String> env = args.list("env") == null ? List.of() : args.list("env");
            for (String e : env) {
                if (e.indexOf('=') <= 0) {
                    return Result.failed("environment variable `" + e.replaceAll("=.*", "") + "` is not NAME=value");
                }
            }
            String workspace = pipeDir.toAbsolutePath().normalize().toString();
            var create = client.createContainerCmd(image).withEnv(new ArrayList<>(env)).withWorkingDir(workspace)
                    .withLabels(Map.of(DockerEngine.RUN_LABEL, runId, DockerEngine.ROLE_LABEL, "docker.run"))
                    .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(workspace, new Volume(workspace))));
            if (args.named("command") != null) {
                create.withCmd("sh", "-c", args.named("command"));
            }
            String id;
            try {
                id = create.exec().getId();
            } catch (RuntimeException e) {
                return Result.failed("cannot make a container of " + image + ": " + DockerEngine.describe(e));
            }
            try {
                CountDownLatch done = new CountDownLatch(1);
                Utf8Stream out = new Utf8Stream();
                Utf8Stream err = new Utf8Stream();
                ResultCallback.Adapter<Frame> attach = new ResultCallback.Adapter<>() {
                    @Override
                    public synchronized void onNext(Frame f) {
                        boolean stderr = f.getStreamType() == StreamType.STDERR;
                        String text = (stderr ? err : out).decode(f.getPayload());
                        if (!text.isEmpty()) {
                            log.write(stderr ? OutputSink.Stream.STDERR : OutputSink.Stream.STDOUT, text);
                        }
                    }

                    @Override
                    public void onComplete() {
                        done.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }
                };
                client.attachContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(attach);
                attach.awaitStarted(30, TimeUnit.SECONDS);
                client.startContainerCmd(id).exec();
                String stopped = await(done, cancel, timeout);
                if (stopped != null) {
                    close(attach);
                    return stopped.equals("timeout") ? Result.timedOut("the container of " + image + " timed out")
                            : Result.failed("the container of " + image + " was cancelled");
                }
                int code = client.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(60,
                        TimeUnit.SECONDS);
                close(attach);
                if (code != 0) {
                    return new Result("the container of " + image + " exited with code " + code,
                            Map.of("exit_code", Integer.toString(code)), false);
                }
                return Result.ok(Map.of("exit_code", "0"));
            } catch (RuntimeException e) {
                return Result.failed("the container of " + image + " failed: " + DockerEngine.describe(e));
            } finally {
                docker.removeContainer(id);
            }
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (IOException e) {
            // the stream is over either way
        } catch (Exception e) {
            // likewise
        }
    }
}
