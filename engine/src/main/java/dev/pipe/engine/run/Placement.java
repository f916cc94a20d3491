package dev.pipe.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the steps of a stage that names a runner other than {@code local} run, such as a
 * container. The {@link StageRunner} opens a place before the stage's first step and closes it
 * after its last ({@code finally} and {@code rollback} included), whatever happened; what the
 * place is made of (containers, networks) is the implementation's business, so the engine
 * knows nothing of Docker.
 */
public interface Placement {
    /**
     * Makes the place for one stage instance ready: its services started and ready, its steps'
     * container running.
     *
     * @param notes told of what is made, one sentence each, for the console
     * @throws PlacementException when the place cannot be made; what was made is removed again
     */
    Place open(StageSpec spec, java.util.function.Consumer<String> notes, Cancellation cancel)
            throws PlacementException, InterruptedException;

    /** A stage instance's place: its steps run through {@link #executor()}. */
    interface Place extends AutoCloseable {
        Executor executor();

        /**
         * The environment every step starts from in this place, instead of the base environment
         * of pipe's own machine (a container has its own PATH and HOME).
         */
        Map<String, String> baseEnv();

        /** Removes what the place was made of. Never throws: a failed clean-up is only noted. */
        @Override
        void close();
    }

    /**
     * What a stage asks for, values evaluated (service env may hold revealed secrets: never print it).
     *
     * @param stage the stage instance's name, such as {@code test[node=20]}
     * @param runner the runner's kind, such as {@code docker}
     * @param image the image the steps run in
     * @param user the user the steps run as, or null for the image's
     * @param workdir where the workspace is inside the container, or null for its path on this machine
     * @param workspace the folder the steps work in on this machine (the .pipe file's folder)
     */
    record StageSpec(String stage, String runner, String image, String user, String workdir, Path workspace,
            List<Service> services) {
        public StageSpec {
            services = List.copyOf(services);
        }
    }

    /**
     * A service container beside the stage's steps, reachable by {@code name}.
     *
     * @param ready a shell command run in the service until it succeeds, or null
     * @param retries how many more times {@code ready} is tried after the first failure
     * @param every how long to wait between tries
     */
    record Service(String name, String image, Map<String, String> env, String ready, int retries, Duration every) {
        public Service {
            env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        }
    }

    /** Why a place could not be made, as one sentence for the stage's failure. */
    final class PlacementException extends Exception {
        public PlacementException(String message) {
            super(message);
        }
    }
}
