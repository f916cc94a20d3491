package dev.pipe.lang.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.StepItem;
import org.junit.jupiter.api.Test;

/** A step's unnamed argument starts on the step name's line; a call on the next line is a new step. */
class CallArgumentLineTest {
    private static Program parse(String text) {
        ParseResult r = SourceParser.parse(new SourceFile("t.pipe", text));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return r.program();
    }

    @Test
    void callOnTheNextLineIsANewStep() {
        Program p = parse("""
                pipeline p
                stage s {
                  step "a" { sh "true" }
                  finally {
                    release.changelog
                    release.next_version
                  }
                }
                """);
        var items = p.stages().get(0).finallyBlock().items();
        assertEquals(2, items.size());
        assertNull(((StepItem.StepCall) items.get(0)).positional());
        assertEquals("release.next_version", items.get(1).call().function().name());
    }

    @Test
    void optionOnTheNextLineIsAnOption() {
        Program p = parse("""
                pipeline p
                stage s {
                  step "prune" {
                    release.changelog
                    allow_failure
                  }
                }
                """);
        StepItem.Step step = p.stages().get(0).steps().get(0);
        assertNull(step.call().positional());
        assertTrue(step.allowFailure());
    }

    @Test
    void argumentOnTheSameLineStaysAnArgument() {
        Program p = parse("""
                pipeline p
                stage s {
                  step "a" { sh \"\"\"
                    echo one
                    echo two
                  \"\"\"  retry 2 }
                  step "b" { sh vars.cmd }
                  step "c" {
                    docker.build tag: "x"
                      context: "."
                  }
                }
                """);
        var steps = p.stages().get(0).steps();
        assertTrue(steps.get(0).call().positional() instanceof Expr.Str s && s.triple());
        assertTrue(steps.get(1).call().positional() instanceof Expr.Member);
        assertEquals(2, steps.get(2).call().args().size());
    }
}
