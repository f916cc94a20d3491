package dev.pipe.lang.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class FormatterTest {
    private static final Span NONE = Span.NONE;

    private static String formatText(String text) {
        ParseResult parsed = FormatAssertions.parse("test.pipe", text);
        assertTrue(parsed.ok(), () -> FormatAssertions.diagnostics(parsed));
        return FormatAssertions.roundTrip(parsed);
    }

    private static Program varsProgram(Expr value) {
        Program.Vars vars = new Program.Vars(List.of(new Program.Assignment(new Ident("v", NONE), value, NONE)), NONE);
        return new Program(new Ident("p", NONE), List.of(), List.of(), List.of(), null, vars, List.of(), List.of(), List.of(), NONE);
    }

    private static Expr.Str triple(String text) {
        return new Expr.Str(List.of(new Expr.StrPart.Text(text)), true, NONE);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRoundTrips() throws IOException {
        Path examples = ParserFuzzTest.repositoryRoot().resolve("examples");
        try (Stream<Path> walk = Files.walk(examples)) {
            List<Path> files = walk.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
            return files.stream().map(f -> DynamicTest.dynamicTest(examples.relativize(f).toString(),
                    () -> formatText(Files.readString(f))));
        }
    }

    @Test
    void tripleQuotedTextThatTripleQuotesCannotHoldBecomesAPlainString() {
        assertEquals("pipeline p\n\nvars {\n  v = \"say \\\"\\\"\\\"hi\\\"\\\"\\\"\"\n}\n",
                Formatter.format(varsProgram(triple("say \"\"\"hi\"\"\""))));
        assertEquals("pipeline p\n\nvars {\n  v = \"ends in a quote\\\"\"\n}\n",
                Formatter.format(varsProgram(triple("ends in a quote\""))));
        assertEquals("pipeline p\n\nvars {\n  v = \"\"\"a \"quote\" inside\"\"\"\n}\n",
                Formatter.format(varsProgram(triple("a \"quote\" inside"))));
    }

    @Test
    void tripleQuotedTextEscapesOnlyWhatTheLexerWouldMisread() {
        Expr.Str s = new Expr.Str(List.of(new Expr.StrPart.Text("C:\\dir\\\\ ${x} $y \\"),
                new Expr.StrPart.Interp(new Expr.Ref("z", NONE)), new Expr.StrPart.Text(" \\")), true, NONE);
        assertEquals("\"\"\"C:\\dir\\\\\\ \\${x} $y \\\\${z} \\\"\"\"", Formatter.expression(s));
    }

    @Test
    void plainStringsEscapeDollarOnlyBeforeABrace() {
        Expr.Str s = new Expr.Str(List.of(new Expr.StrPart.Text("$ ${ $$ \t\r\n\"\\ $")), false, NONE);
        assertEquals("\"$ \\${ $$ \\t\\r\\n\\\"\\\\ $\"", Formatter.expression(s));
    }

    @Test
    void expressionsKeepTheAuthorsParenthesesOnly() {
        ParseResult parsed = FormatAssertions.parse("e.pipe", "vars { v = ((a))||b&&!(c??d) }");
        assertEquals("((a)) || b && !(c ?? d)", Formatter.expression(parsed.program().vars().entries().getFirst().value()));
    }

    @Test
    void refusesAFileWithSyntaxErrors() {
        ParseResult parsed = FormatAssertions.parse("bad.pipe", "pipeline p\nstage {");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Formatter.format(parsed));
        assertEquals("cannot format bad.pipe: it has syntax errors", e.getMessage());
    }

    @Test
    void windowsLineEndingsBecomeNewlinesOutsideTripleQuotedText() {
        assertEquals("pipeline p // name\n\nvars {\n  v = \"\"\"a\r\nb\"\"\"\n}\n",
                formatText("pipeline p // name\r\n\r\nvars {\r\n\tv = \"\"\"a\r\nb\"\"\"\r\n}\r\n"));
    }

    @Test
    void aFileOfCommentsKeepsThem() {
        assertEquals("// one\n\n/* two */\n", formatText("  // one\n\n\n    /* two */  \n"));
    }

    @Test
    void commentsInsideAnExpressionMoveToTheLineBefore() {
        assertEquals("pipeline p\n\nstage s {\n  /* first */\n  // second\n  when a || [b, c] /* after */\n}\n",
                formatText("pipeline p stage s { when a /* first */ || [b, // second\n c] /* after */ }"));
    }

    @Test
    void commentsStayWithTheSettingTheyDescribeWhenSettingsMove() {
        String in = """
                pipeline p
                stage s {
                  // runs the tests
                  step "t" { sh "test" }
                  // only on main
                  when git.branch == "main" // see docs
                  needs [a] /* a first */
                }
                """;
        String out = """
                pipeline p

                stage s {
                  needs [a] /* a first */
                  // only on main
                  when git.branch == "main" // see docs
                  // runs the tests
                  step "t" {
                    sh "test"
                  }
                }
                """;
        assertEquals(out, formatText(in));
    }
}
