package dev.pipe.engine.plan;

import java.util.HashMap;
import java.util.Map;

/** Test facts: mutable maps, everything else fixed. */
public final class FixedFacts implements RunFacts {
    public final Map<String, Map<String, String>> stages = new HashMap<>();
    public final Map<String, Map<String, String>> steps = new HashMap<>();
    public final Map<String, String> env = new HashMap<>();
    public final Map<String, String> secrets = new HashMap<>();
    public String runId = "20261124-150000-abcd";
    public String triggeredBy = "ada";
    public String status;
    public String failedStage;
    public String previousVersion;
    public String previousRun;

    @Override
    public Map<String, String> stageOutputs(String stage) {
        return stages.get(stage);
    }

    @Override
    public Map<String, String> stepOutputs(String step) {
        return steps.get(step);
    }

    @Override
    public String env(String name) {
        return env.get(name);
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String triggeredBy() {
        return triggeredBy;
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public String failedStage() {
        return failedStage;
    }

    @Override
    public String previousVersion() {
        return previousVersion;
    }

    @Override
    public String previousRun() {
        return previousRun;
    }

    @Override
    public String secret(String name) {
        return secrets.get(name);
    }
}
