package dev.pipe.engine.plan;

import dev.pipe.lang.golden.Golden;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@code golden/plan/NAME.pipe} → {@code NAME.plan.txt}; {@code golden/plan-json/NAME.pipe} → {@code NAME.plan.json}. */
class PlanGoldenTest {
    @TestFactory
    Stream<DynamicTest> text() {
        return Golden.cases(Path.of("src/test/resources/golden/plan"), "plan.txt",
                file -> PlanCases.run(file, plan -> PlanText.render(plan, false)));
    }

    @TestFactory
    Stream<DynamicTest> json() {
        return Golden.cases(Path.of("src/test/resources/golden/plan-json"), "plan.json",
                file -> PlanCases.run(file, PlanJson::json));
    }
}
