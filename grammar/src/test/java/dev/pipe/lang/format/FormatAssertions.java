package dev.pipe.lang.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import java.util.List;

/** What every formatted file must satisfy, whatever it came from. */
final class FormatAssertions {
    private FormatAssertions() {
    }

    static ParseResult parse(String name, String text) {
        return SourceParser.parse(new SourceFile(name, text));
    }

    static String diagnostics(ParseResult r) {
        return String.join("\n", r.diagnostics().stream().map(Diagnostic::oneLine).toList());
    }

    /**
     * Formats {@code parsed} and checks the result: it parses, to the same tree when the input had
     * no errors; it holds the same comments, none lost, none doubled; it ends with one newline; and
     * formatting it again changes nothing. Returns the formatted text.
     */
    static String roundTrip(ParseResult parsed) {
        String out = Formatter.format(parsed);
        if (out.isEmpty()) {
            assertTrue(parsed.comments().isEmpty() && isEmpty(parsed.program()), "formatted an item away");
            return out;
        }
        assertTrue(out.endsWith("\n") && !out.endsWith("\n\n"), () -> "output must end with one newline:\n" + out);
        ParseResult again = parse("formatted.pipe", out);
        assertNotNull(again.program(), () -> "the formatted text does not parse:\n" + diagnostics(again) + "\n" + out);
        if (parsed.ok()) {
            assertTrue(again.ok(), () -> "the formatted text has errors:\n" + diagnostics(again) + "\n" + out);
            assertEquals(parsed.program(), again.program(),
                    () -> "formatting changed the tree; formatted:\n" + out + "\nwhich prints back as:\n"
                            + Formatter.format(again.program()));
        }
        assertEquals(texts(parsed.comments()), texts(again.comments()), () -> "comments lost or doubled:\n" + out);
        assertEquals(out, Formatter.format(again), "formatting is not idempotent");
        return out;
    }

    private static List<String> texts(List<Comment> comments) {
        return comments.stream().map(Comment::text).sorted().toList();
    }

    private static boolean isEmpty(Program p) {
        return p.name() == null && p.imports().isEmpty() && p.triggers().isEmpty() && p.secrets() == null
                && p.vars() == null && p.environments().isEmpty() && p.stages().isEmpty() && p.hooks().isEmpty();
    }
}
