package dev.pipe.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluatorTest {
    private static final Map<String, Result> NAMES = Map.of(
            "event", Result.of("push"),
            "git.branch", Result.of("main"),
            "git.tag", new Result.Absent("git.tag is unset"),
            "git.changed", Result.of(new Value.ListOf(List.of(new Value.Str("src/a.js"), new Value.Str("docs/b.md")))),
            "inputs.count", Result.of(new Value.Num(new BigDecimal("3"))),
            "inputs.wait", Result.of(new Value.Dur(Duration.ofMinutes(10))),
            "secrets.TOKEN", Result.of(Value.Secret.named("TOKEN")),
            "tags", Result.of(new Value.ListOf(List.of(new Value.Str("a"), new Value.Str("b")))));

    private static Result eval(String expr) {
        return new Evaluator(Exprs.scope(NAMES)).evaluate(Exprs.parse(expr));
    }

    /** "true", "false", "unknown", "absent" or the displayed value. */
    private static String outcome(String expr) {
        return switch (eval(expr)) {
            case Result.Known k -> k.value().display();
            case Result.Unknown u -> "unknown";
            case Result.Absent a -> "absent";
        };
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = " => ", value = {
            "event == push => true",
            "event == manual => false",
            "event != manual => true",
            "git.branch ~ \"ma*\" => true",
            "git.branch ~ \"dev*\" => false",
            "git.tag ~ \"v*\" => false",
            "git.tag == \"v1\" => false",
            "git.tag != \"v1\" => true",
            "!git.tag => true",
            "git.tag => absent",
            "git.tag ?? \"none\" => none",
            "git.branch ?? \"none\" => main",
            "git.tag ?? git.tag ?? \"last\" => last",
            "steps.build.digest => unknown",
            "steps.build.digest ?? \"x\" => unknown",
            "steps.build.digest == \"x\" => unknown",
            "false && steps.build.ok => false",
            "steps.build.ok && false => false",
            "true || steps.build.ok => true",
            "steps.build.ok || true => true",
            "true && steps.build.ok => unknown",
            "false || steps.build.ok => unknown",
            "!steps.build.ok => unknown",
            "inputs.count > 2 => true",
            "inputs.count >= 3.0 => true",
            "inputs.count < 3 => false",
            "inputs.count == 3.00 => true",
            "inputs.wait > 5m => true",
            "inputs.wait <= 600s => true",
            "1h30m == 90m => true",
            "\"abc\" < \"abd\" => true",
            "git.tag < 3 => false",
            "changed(\"src/**\") => true",
            "changed(\"lib/**\") => false",
            "git.changed ~ \"docs/*.md\" => true",
            "contains(tags, \"b\") => true",
            "contains(tags, \"c\") => false",
            "contains(git.branch, \"ai\") => true",
            "starts_with(git.branch, \"ma\") => true",
            "ends_with(git.branch, \"ma\") => false",
            "starts_with(git.tag, \"v\") => false",
            "secrets.TOKEN == \"x\" => unknown",
            "contains(secrets.TOKEN, \"x\") => unknown",
            "(event == push) && !(git.branch == \"dev\") => true",
            "[git.branch, \"x\"] => main x",
            "[1, 2] == [1, 2] => true",
            "\"${event}/${git.branch}\" => push/main",
            "manual => manual",
    })
    void evaluates(String expr, String expected) {
        assertEquals(expected, outcome(expr));
    }

    @Test
    void interpolationKeepsUnknownsAndMasksSecrets() {
        Evaluator e = new Evaluator(Exprs.scope(NAMES));
        assertEquals("deploy main ${steps.build.digest} *** ",
                e.display(Exprs.parse("\"deploy ${git.branch} ${steps.build.digest} ${secrets.TOKEN} ${git.tag}\"")));
        // the plan knows git.tag is unset, so only the right side is left to show
        assertEquals("${steps.x.y}", e.display(Exprs.parse("\"${git.tag ?? steps.x.y}\"")));
        assertEquals("${steps.x.y ?? \"d\"}", e.display(Exprs.parse("\"${steps.x.y ?? \"d\"}\"")));
        assertEquals("***", e.display(Exprs.parse("secrets.TOKEN")));
        assertEquals("10m", e.display(Exprs.parse("inputs.wait")));
    }

    @Test
    void aStringWithASecretIsASecret() {
        Result r = eval("\"Bearer ${secrets.TOKEN}\"");
        Value.Secret s = assertInstanceOf(Value.Secret.class, assertInstanceOf(Result.Known.class, r).value());
        assertEquals(List.of("TOKEN"), s.names());
        assertEquals("Bearer ***", s.display());
    }

    @Test
    void unknownCarriesTheReasonOfWhatIsMissing() {
        Result r = eval("true && steps.build.ok");
        Result.Unknown u = assertInstanceOf(Result.Unknown.class, r);
        assertEquals("steps.build.ok is not known in this test", u.reason());
        assertEquals("${true && steps.build.ok}", u.display());
    }

    @Test
    void explainRecordsWhatWasReadOnceInOrder() {
        Explained ex = new Evaluator(Exprs.scope(NAMES)).explain(
                Exprs.parse("event == manual || git.tag ~ \"v*\" || event == tag"));
        assertEquals(Result.of(false), ex.result());
        assertEquals("event = push, git.tag is unset", ex.describeSeen());
        assertEquals(List.of("git.tag"), ex.absents());
    }

    @Test
    void explainStopsWhereShortCircuitingStops() {
        Explained ex = new Evaluator(Exprs.scope(NAMES)).explain(Exprs.parse("event == push || steps.a.b == \"x\""));
        assertEquals(Result.of(true), ex.result());
        assertEquals("event = push", ex.describeSeen());
    }

    @Test
    void explainNamesTheUnknowns() {
        Explained ex = new Evaluator(Exprs.scope(NAMES)).explain(
                Exprs.parse("event == push && stages.image.digest != \"\""));
        assertInstanceOf(Result.Unknown.class, ex.result());
        assertEquals(List.of("stages.image.digest"), ex.unknowns());
    }

    @Test
    void explainQuotesStringsWithSpacesAndRecordsCalls() {
        Scope scope = Exprs.scope(Map.of("git.message", Result.of("fix the build"),
                "git.changed", Result.of(new Value.ListOf(List.of()))));
        Explained ex = new Evaluator(scope).explain(Exprs.parse("git.message ~ \"*[skip]*\" || changed(\"src/**\")"));
        assertEquals("git.message = \"fix the build\", changed(\"src/**\") = false", ex.describeSeen());
    }

    @Test
    void changedIsUnknownWithoutTheChangedFiles() {
        Result r = new Evaluator(Exprs.scope(Map.of())).evaluate(Exprs.parse("changed(\"src/**\")"));
        assertInstanceOf(Result.Unknown.class, r);
    }

    @Test
    void exprTextPrintsCanonically() {
        assertEquals("event == manual || git.tag ~ \"v*\"", ExprText.print(Exprs.parse("event==manual||git.tag~\"v*\"")));
        assertEquals("!(a && b) ?? [1, 2s, true]", ExprText.print(Exprs.parse("!(a&&b) ?? [1,2s,true]")));
        assertEquals("\"x \\\"${a.b}\\\" \\${y}\"", ExprText.print(Exprs.parse("\"x \\\"${a.b}\\\" \\${y}\"")));
        assertEquals("contains(tags, \"b\")", ExprText.print(Exprs.parse("contains( tags ,\"b\" )")));
    }
}
