package dev.pipe.cli;

import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanStage;
import dev.pipe.engine.plan.PlanStep;
import dev.pipe.runner.docker.DockerEngine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a run needs of Docker. A plan without container stages and {@code docker.*} steps never
 * loads docker-java, so that local runs start as fast as ever.
 */
final class DockerSupport {
    private DockerSupport() {
    }

    /** The first stage (or step) of the plan that needs a Docker engine, described; empty when none does. */
    static Optional<String> firstNeed(Plan plan) {
        for (PlanStage s : plan.stages()) {
            if (s.status() == PlanStage.Status.SKIP) {
                continue;
            }
            if ("docker".equals(s.runner().kind())) {
                return Optional.of("stage `" + s.name() + "` runs in a container of " + s.runner().image());
            }
            Optional<PlanStep> step = Stream.of(s.steps(), s.finallySteps(), s.rollback()).flatMap(List::stream)
                    .filter(p -> p.call().startsWith("docker.")).findFirst();
            if (step.isPresent()) {
                return Optional.of("stage `" + s.name() + "` calls " + step.get().call());
            }
        }
        for (Plan.Hook h : plan.hooks()) {
            if (h.steps().stream().anyMatch(p -> p.call().startsWith("docker."))) {
                return Optional.of("hook `on " + h.on() + "` calls a docker step");
            }
        }
        return Optional.empty();
    }

    static boolean needed(Plan plan) {
        return firstNeed(plan).isPresent();
    }

    /** A run that needs Docker where no engine answers is refused before it starts, with what to do instead. */
    static void refuseWithoutEngine(Plan plan, Map<String, String> env) {
        Optional<String> need = firstNeed(plan);
        if (need.isEmpty()) {
            return;
        }
        try (DockerEngine engine = DockerEngine.connect(env)) {
            String why = engine.unreachable();
            if (why != null) {
                throw new CliException(Exit.ERRORS, "cannot run this plan: " + need.get() + ", but " + why
                        + ". Start Docker or point DOCKER_HOST at an engine, run container stages on this machine with"
                        + " --runner local, or leave such stages out with --only or --from");
            }
        } catch (RuntimeException e) {
            if (e instanceof CliException c) {
                throw c;
            }
            throw new CliException(Exit.ERRORS, "cannot run this plan: " + need.get() + ", but DOCKER_HOST ("
                    + env.get("DOCKER_HOST") + ") is not usable: " + e.getMessage());
        }
    }

    /**
     * Removes what an earlier attempt of the run left on the engine; says how much, or nothing
     * when there was nothing or no engine answers.
     */
    static String removeLeftovers(Plan plan, String runId, Map<String, String> env) {
        if (!needed(plan)) {
            return null;
        }
        try (DockerEngine engine = DockerEngine.connect(env)) {
            if (engine.unreachable() != null) {
                return null;
            }
            int n = engine.removeRun(runId);
            return n == 0 ? null : "removed " + n + (n == 1 ? " container or network" : " containers and networks")
                    + " left on Docker by the process that drove this run before";
        } catch (RuntimeException e) {
            return null;
        }
    }
}
