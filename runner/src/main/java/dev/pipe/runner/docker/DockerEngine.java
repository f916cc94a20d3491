package dev.pipe.runner.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Docker engine, through docker-java's httpclient5 transport. The engine is
 * the one {@code DOCKER_HOST} names ({@code unix:///var/run/docker.sock} without it), with
 * {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} for a remote one. No API version is
 * pinned: requests go unversioned, so the engine answers in its own version (Debian's 20.10
 * speaks 1.41).
 *
 * <p>Everything pipe makes on the engine carries the label {@link #RUN_LABEL} with the run's id,
 * so that what a run left behind (pipe was killed) is found again and removed.
 */
public final class DockerEngine implements AutoCloseable {
    /** The label on every container and network pipe makes: its value is the run's id. */
    public static final String RUN_LABEL = "dev.pipe.run";
    /** The stage instance a container belongs to. */
    public static final String STAGE_LABEL = "dev.pipe.stage";
    /** What a container is for: {@code steps}, {@code service}, {@code docker.run}. */
    public static final String ROLE_LABEL = "dev.pipe.role";

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final DockerClient client;
    private final String host;

    private DockerEngine(DockerClient client, String host) {
        this.client = client;
        this.host = host;
    }

    /** A client for the engine {@code env} points at; nothing is asked of the engine yet. */
    public static DockerEngine connect(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
        if ("1".equals(env.get("DOCKER_TLS_VERIFY"))) {
            b.withDockerTlsVerify(true);
            if (env.get("DOCKER_CERT_PATH") != null) {
                b.withDockerCertPath(env.get("DOCKER_CERT_PATH"));
            }
        }
        DefaultDockerClientConfig config = b.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).maxConnections(64).connectionTimeout(Duration.ofSeconds(10)).build();
        return new DockerEngine(DockerClientImpl.getInstance(config, http), host);
    }

    /** Where the engine is, as DOCKER_HOST says it. */
    public String host() {
        return host;
    }

    DockerClient client() {
        return client;
    }

    /** Null when the engine answers; otherwise why not, as one sentence. */
    public String unreachable() {
        try {
            client.pingCmd().exec();
            return null;
        } catch (RuntimeException e) {
            return "no Docker engine answers at " + host + " (" + describe(e) + ")";
        }
    }

    /** Whether the engine has {@code image} already. */
    public boolean hasImage(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The ids of the containers, running or not, labelled with run {@code runId}. */
    public List<String> containersOf(String runId) {
        return client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_LABEL, runId)).exec().stream()
                .map(Container::getId).toList();
    }

    /** The ids of the networks labelled with run {@code runId}. */
    public List<String> networksOf(String runId) {
        return client.listNetworksCmd().withFilter("label", List.of(RUN_LABEL + "=" + runId)).exec().stream()
                .map(Network::getId).toList();
    }

    /**
     * Makes sure {@code image} is on the engine: one that is there is used as it is, never pulled
     * again; a missing one is pulled.
     *
     * @param who what needs it, for the error: "stage `test`"
     * @throws ImageException when it is missing and cannot be pulled
     */
    void ensureImage(String image, String who) throws ImageException, InterruptedException {
        try {
            client.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            // pulled below
        } catch (RuntimeException e) {
            throw new ImageException("cannot look up image `" + image + "` for " + who + ": " + describe(e));
        }
        try (ResultCallback.Adapter<PullResponseItem> pull = client.pullImageCmd(image)
                .exec(new ResultCallback.Adapter<>())) {
            if (!pull.awaitCompletion(10, TimeUnit.MINUTES)) {
                throw new ImageException("image `" + image + "` for " + who + " is not on this machine, and pulling it"
                        + " took more than 10 minutes");
            }
        } catch (RuntimeException e) {
            throw new ImageException("image `" + image + "` for " + who + " is not on this machine and cannot be pulled: "
                    + describe(e));
        } catch (IOException e) {
            // closing the finished pull: nothing to do
        }
        try {
            client.inspectImageCmd(image).exec();
        } catch (RuntimeException e) {
            throw new ImageException("image `" + image + "` for " + who + " is not on this machine and cannot be pulled");
        }
    }

    /** An image that is neither on the engine nor to be had. */
    static final class ImageException extends Exception {
        ImageException(String message) {
            super(message);
        }
    }

    /**
     * Removes every container and network of run {@code runId}, running or not: what a killed
     * pipe left behind.
     *
     * @return how many containers and networks were removed
     */
    public int removeRun(String runId) {
        int removed = 0;
        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(RUN_LABEL, runId)).exec();
        for (Container c : containers) {
            if (removeContainer(c.getId())) {
                removed++;
            }
        }
        List<Network> networks = client.listNetworksCmd().withFilter("label", List.of(RUN_LABEL + "=" + runId)).exec();
        for (Network n : networks) {
            if (removeNetwork(n.getId())) {
                removed++;
            }
        }
        return removed;
    }

    /** Removes a container, killing it first; false when it was gone already or could not be removed. */
    boolean removeContainer(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (DockerException e) {
            // "removal already in progress" and the like: the sweep at the end of the run tries again
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean removeNetwork(String id) {
        try {
            client.removeNetworkCmd(id).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The engine's own message, without the HTTP status docker-java puts in front of it. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            Throwable cause = e.getCause();
            return cause != null && cause != e ? describe(cause) : e.getClass().getSimpleName();
        }
        m = m.strip();
        // docker-java: "Status 404: {"message":"No such image: x"}"
        int brace = m.indexOf("{\"message\":\"");
        if (brace >= 0) {
            String rest = m.substring(brace + 12);
            int end = rest.lastIndexOf("\"}");
            m = end >= 0 ? rest.substring(0, end) : rest;
        }
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl).strip() : m;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a connection pool: nothing left to do
        }
    }
}
