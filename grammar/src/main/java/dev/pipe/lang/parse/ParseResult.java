package dev.pipe.lang.parse;

import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import java.util.List;

/**
 * The outcome of parsing one file. {@code program} is null when the file has syntax errors:
 * later phases only ever see a tree that parsed cleanly.
 */
public record ParseResult(SourceFile source, Program program, List<Comment> comments, List<Diagnostic> diagnostics) {
    public ParseResult {
        comments = List.copyOf(comments);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
        return program != null && diagnostics.stream().noneMatch(Diagnostic::isError);
    }
}
