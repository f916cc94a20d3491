package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Stage;
import java.util.Map;

/**
 * What the checker knows of one stage before looking inside its expressions.
 *
 * @param index the stage's node in the need graph
 * @param stage the stage as written
 * @param environment the environment it deploys to, or null (none, or not declared)
 * @param matrix type of each matrix axis, or null without a matrix
 * @param outputs the outputs it declares, by name
 * @param steps every named step of the stage (main, rollback and finally), by name
 */
record StageFacts(
        int index,
        Stage stage,
        Environment environment,
        Map<String, Type> matrix,
        Map<String, Stage.Output> outputs,
        Map<String, StepFacts> steps) {

    String name() {
        return stage.name().name();
    }
}
