package dev.pipe.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinksTest {
    @Test
    void linesAreWholeWhateverTheChunks() {
        List<String> got = new ArrayList<>();
        LineSink sink = new LineSink((s, line) -> got.add(s + ":" + line));
        TeeSink tee = new TeeSink(sink);
        tee.write(OutputSink.Stream.STDOUT, "hel");
        tee.write(OutputSink.Stream.STDERR, "warn");
        tee.write(OutputSink.Stream.STDOUT, "lo\r\nwor");
        tee.write(OutputSink.Stream.STDERR, "ing\n");
        tee.write(OutputSink.Stream.STDOUT, "ld");
        tee.close();
        assertEquals(List.of("STDOUT:hello", "STDERR:warning", "STDOUT:world"), got);
    }

    @Test
    void aStageNeedsEveryInstanceOfAMatrixStage() {
        String text = """
                pipeline p
                on push
                stage test {
                  matrix { node ["18", "20"] }
                  step "t" { sh "true" }
                }
                stage deploy {
                  needs [test]
                  step "d" { sh "true" }
                }
                """;
        var parsed = SourceParser.parse(new SourceFile("p.pipe", text));
        Plan plan = Planner.plan(parsed.program(), EventContext.push("main", Instant.parse("2026-11-24T10:00:00Z")));
        var nodes = PlanGraph.nodes(plan);
        assertEquals(List.of("test[node=18]", "test[node=20]", "deploy"), nodes.stream().map(DagScheduler.Node::name).toList());
        assertEquals(List.of("test[node=18]", "test[node=20]"), nodes.get(2).needs());
    }
}
