package dev.pipe.engine.plan;

import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.time.Instant;

/** Test helpers: plan a pipeline given as text. */
final class Plans {
    /** A Tuesday, 10:00 in New York. */
    static final Instant TUESDAY_10_NY = Instant.parse("2026-11-24T15:00:00Z");

    private Plans() {
    }

    static Plan plan(String text, EventContext ctx) {
        ParseResult r = SourceParser.parse(new SourceFile("test.pipe", text));
        if (!r.ok()) {
            throw new IllegalArgumentException("the test pipeline does not parse: " + r.diagnostics());
        }
        return Planner.plan(r.source(), r.program(), ctx);
    }

    static PlanStage stage(Plan plan, String name) {
        return plan.stage(name).orElseThrow(() -> new AssertionError("no stage " + name + " in "
                + plan.stages().stream().map(PlanStage::name).toList()));
    }

    static EventContext push(String branch) {
        return EventContext.push(branch, TUESDAY_10_NY);
    }
}
