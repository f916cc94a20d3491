package dev.pipe.cli;

import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.stdlib.ModuleDocs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "docs", mixinStandardHelpOptions = true,
        description = {"Print the Markdown reference of modules: their templates and parameters, from their /// doc comments.",
                "`pipe docs --stdlib` prints docs/stdlib.md, the reference of the std modules."},
        footer = {"", "Exit codes: 0 ok, 1 a module has syntax errors, 2 usage error."})
final class DocsCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Module files (.pipe) to document.")
    List<Path> files;

    @Option(names = "--stdlib", description = "Document pipe's std modules.")
    boolean stdlib;

    @Override
    public Integer call() {
        boolean none = files == null || files.isEmpty();
        if (stdlib == !none) {
            throw CliException.usage(stdlib ? "give either --stdlib or module files, not both"
                    : "say what to document: --stdlib, or module files");
        }
        var out = parent.cli.out();
        if (stdlib) {
            out.print(ModuleDocs.stdlib());
            return Exit.OK;
        }
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i);
            SourceFile source = Sources.load(path);
            ParseResult parsed = SourceParser.parse(source);
            if (!parsed.ok()) {
                parent.cli.err().print(new DiagnosticRenderer(parent.terminal().color()).render(parsed.diagnostics()));
                parent.cli.err().println("pipe: " + path + ": no docs, because it has syntax errors");
                return Exit.ERRORS;
            }
            out.print((i == 0 ? "" : "\n") + ModuleDocs.module(source, path.toString(), 1));
        }
        return Exit.OK;
    }
}
