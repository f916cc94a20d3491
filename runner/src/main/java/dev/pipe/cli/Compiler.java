package dev.pipe.cli;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.stdlib.Builtins;
import dev.pipe.stdlib.FileImportResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The front end as the commands use it: read, parse, and (when parsing succeeded) check. */
final class Compiler {
    private Compiler() {
    }

    record Compiled(SourceFile source, ParseResult parsed, List<Diagnostic> diagnostics) {
        boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    static CheckOptions options() {
        return new CheckOptions(Builtins.catalog(), new FileImportResolver());
    }

    static Compiled compile(Path path) {
        SourceFile source = Sources.load(path);
        ParseResult parsed = SourceParser.parse(source);
        List<Diagnostic> all = new ArrayList<>(parsed.diagnostics());
        if (parsed.program() != null && parsed.diagnostics().stream().noneMatch(Diagnostic::isError)) {
            all.addAll(Checker.check(parsed, options()));
        }
        all.sort(Comparator.comparingInt((Diagnostic d) -> d.span() == null ? -1 : d.span().start()));
        return new Compiled(source, parsed, all);
    }
}
