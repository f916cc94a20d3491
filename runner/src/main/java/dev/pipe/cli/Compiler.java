package dev.pipe.cli;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.stdlib.Builtins;
import dev.pipe.stdlib.FileImportResolver;
import java.nio.file.Path;
import java.util.List;

/** The front end as the commands use it: read, parse, and (when parsing succeeded) expand templates and check. */
final class Compiler {
    private Compiler() {
    }

    /**
     * @param program the pipeline with its templates expanded, what plans are made from; null when
     *     the file did not parse
     */
    record Compiled(SourceFile source, ParseResult parsed, Program program, List<Diagnostic> diagnostics) {
        boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    static CheckOptions options() {
        return new CheckOptions(new Builtins(), new FileImportResolver());
    }

    static Compiled compile(Path path) {
        return compile(path, false);
    }

    /**
     * @param gitWarnings warn (W610) about each {@code git.*} reference when the file is not in a
     *     git repository: for `pipe check`; plan and run say instead why each value is unknown
     */
    static Compiled compile(Path path, boolean gitWarnings) {
        SourceFile source = Sources.load(path);
        ParseResult parsed = SourceParser.parse(source);
        CheckOptions options = gitWarnings ? new CheckOptions(new Builtins(), new FileImportResolver(), gitUnavailable(path))
                : options();
        // The checker returns the parser's diagnostics too, and only checks a tree that parsed cleanly.
        Checker.Checked checked = Checker.compile(parsed, options);
        return new Compiled(source, parsed, checked.program(), checked.diagnostics());
    }

    /**
     * Why {@code git.*} is unavailable to the file, or null when it sits in a git repository.
     * Only a {@code .git} folder (or, in a linked worktree, file) is looked for, in the file's
     * folder and above: `pipe check` does not need JGit, whose start costs more than the check.
     */
    private static String gitUnavailable(Path file) {
        for (Path dir = file.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.exists(dir.resolve(".git"))) {
                return null;
            }
        }
        return file + " is not in a git repository";
    }
}
