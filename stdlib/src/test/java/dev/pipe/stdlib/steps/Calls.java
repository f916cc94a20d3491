package dev.pipe.stdlib.steps;

import dev.pipe.engine.run.StepFunction;
import java.util.List;
import java.util.Map;

/** The arguments of a step function call, as the stage runner would evaluate them, for tests. */
final class Calls {
    private Calls() {
    }

    /**
     * @param lists list arguments by name; any other named argument is also a list of one item
     */
    static StepFunction.Args args(String positional, Map<String, String> named, Map<String, List<String>> lists) {
        return args(positional, named, lists, null, null);
    }

    /**
     * @param workdir the step's folder
     * @param deferred collects the work the step leaves for after its stage's steps
     */
    static StepFunction.Args args(String positional, Map<String, String> named, Map<String, List<String>> lists,
            java.nio.file.Path workdir, List<StepFunction.Deferred> deferred) {
        return new StepFunction.Args() {
            @Override
            public java.nio.file.Path workdir() {
                return workdir;
            }

            @Override
            public void afterSteps(String label, StepFunction.Deferred work) {
                deferred.add(work);
            }

            @Override
            public String positional() {
                return positional;
            }

            @Override
            public String named(String name) {
                return named.get(name);
            }

            @Override
            public List<String> list(String name) {
                return lists.containsKey(name) ? lists.get(name) : named.containsKey(name) ? List.of(named.get(name)) : null;
            }
        };
    }
}
