package dev.pipe.engine.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * One stage instance of a plan ({@code test[node=18]} for a matrix stage).
 *
 * @param name instance name: the stage name, plus {@code [axis=value,...]} for a matrix instance
 * @param stage the stage's name as declared
 * @param matrix this instance's axis values, in declared order; empty without a matrix
 * @param group 1-based parallel group: a stage's group is one more than the highest group of its
 *     needs, so stages of one group may run together
 * @param status run, skip or wait
 * @param reasons one sentence per reason for a skip or a wait; empty for a plain run
 * @param notes facts that do not change the status ("decided when the stage is ready")
 * @param needs names of the stages it needs, as declared
 * @param when the stage's condition as source text, or null
 * @param secrets names of the secrets its steps may use (pipeline and environment); never values
 * @param env stage-level environment variables, values interpolated
 * @param deploy what it deploys, or null
 * @param gates the gates met before its steps, in order: lock, window, approval
 * @param finallySteps steps that always run after the others ({@code finally} in JSON)
 * @param timeout the stage's timeout as written, or null
 */
public record PlanStage(
        String name,
        String stage,
        Map<String, String> matrix,
        int group,
        Status status,
        List<String> reasons,
        List<String> notes,
        List<String> needs,
        String when,
        Runner runner,
        String workdir,
        List<Service> services,
        List<String> secrets,
        Map<String, String> env,
        Deploy deploy,
        List<Gate> gates,
        List<PlanStep> steps,
        Verify verify,
        List<PlanStep> rollback,
        @JsonProperty("finally") List<PlanStep> finallySteps,
        List<Output> outputs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowFailure,
        String timeout) {

    public PlanStage {
        matrix = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(matrix));
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
        needs = List.copyOf(needs);
        services = List.copyOf(services);
        secrets = List.copyOf(secrets);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        gates = List.copyOf(gates);
        steps = List.copyOf(steps);
        rollback = List.copyOf(rollback);
        finallySteps = List.copyOf(finallySteps);
        outputs = List.copyOf(outputs);
    }

    public enum Status {
        /** Will run once its needs are done. */
        RUN,
        /** Will not run; the reasons say why. */
        SKIP,
        /** Will run, but first waits at a gate: a closed window or an approval. */
        WAIT;

        @JsonValue
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code local}, or {@code docker} with an image (interpolated), user and workdir. */
    public record Runner(String kind, String image, String user, String workdir) {
        public static final Runner LOCAL = new Runner("local", null, null, null);
    }

    /** A service container beside the stage. */
    public record Service(String name, String image, Map<String, String> env, Ready ready) {
        public Service {
            env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        }
    }

    /** The service's readiness check; retries and every as written, or null. */
    public record Ready(String command, Integer retries, String every) {
    }

    /**
     * {@code deploy to ENV version EXPR}.
     *
     * @param version the version as the run would see it, or null when unset or when the stage
     *     declares none; unknown parts stay as {@code ${...}}
     * @param versionNote why the version is unset ("git.tag is unset") or not known yet ("known
     *     when the stage runs: ..."); null when the version is known or the stage declares none
     */
    public record Deploy(String environment, String url, String version, String versionNote) {
    }

    /** {@code output NAME = EXPR}, the value as far as it is known. */
    public record Output(String name, String value) {
    }

    /** {@code verify [for SOAK] [every D] { checks }}. */
    public record Verify(String soak, String every, List<Check> checks) {
        public Verify {
            checks = List.copyOf(checks);
        }
    }

    /**
     * A verify check: {@code http} (url, expect, contains, json, ...) or {@code command} (name and step).
     *
     * @param json assertions as text, such as {@code "$.status" == "ok"}
     */
    public record Check(
            String kind,
            String name,
            String url,
            Integer expect,
            String contains,
            List<String> json,
            Integer retries,
            String every,
            String timeout,
            PlanStep step) {
        public Check {
            json = List.copyOf(json);
        }
    }
}
