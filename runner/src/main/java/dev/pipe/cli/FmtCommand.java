package dev.pipe.cli;

import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.format.Formatter;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "fmt", mixinStandardHelpOptions = true,
        description = {"Rewrite .pipe files in pipe's one canonical layout. Comments are kept.",
                "Formatting twice changes nothing the second time."},
        footer = {"", "Exit codes: 0 ok, 1 a file has syntax errors or (with --check) is not formatted, 2 usage error."})
final class FmtCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files to format. Default: the .pipe files in the current directory.")
    List<Path> files;

    @Option(names = "--check", description = "Change nothing; list the files that are not formatted and exit 1 if any.")
    boolean check;

    @Option(names = "--stdout", description = "Print the formatted text instead of rewriting the files.")
    boolean stdout;

    @Override
    public Integer call() {
        var out = parent.cli.out();
        var err = parent.cli.err();
        DiagnosticRenderer renderer = new DiagnosticRenderer(parent.terminal().color());
        int code = Exit.OK;
        int changed = 0;
        List<Path> paths = PipeFiles.pipeFiles(files);
        for (Path path : paths) {
            SourceFile source = Sources.load(path);
            ParseResult parsed = SourceParser.parse(source);
            if (!parsed.ok()) {
                err.print(renderer.render(parsed.diagnostics()));
                err.println("pipe: " + path + ": not formatted because it has syntax errors");
                code = Exit.ERRORS;
                continue;
            }
            String formatted = Formatter.format(parsed);
            boolean same = formatted.equals(source.text());
            if (stdout) {
                out.print(formatted);
            } else if (check) {
                if (!same) {
                    out.println(path + ": not formatted (run `pipe fmt " + path + "`)");
                    code = Exit.ERRORS;
                }
            } else if (!same) {
                write(path, formatted);
                out.println(path + ": formatted");
                changed++;
            }
        }
        if (!stdout && !check && changed == 0 && code == Exit.OK) {
            out.println(paths.size() == 1 ? "Already formatted." : "All " + paths.size() + " files already formatted.");
        }
        return code;
    }

    /** Writes beside the file and renames over it, so an interrupted write never leaves half a file. */
    private static void write(Path path, String text) {
        Path tmp = path.resolveSibling("." + path.getFileName() + ".fmt.tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(Exit.ERRORS, path + ": cannot write the formatted file (" + e.getMessage() + ")");
        }
    }
}
