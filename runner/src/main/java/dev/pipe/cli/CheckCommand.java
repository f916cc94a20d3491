package dev.pipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.syntax.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check .pipe files for mistakes before anything runs: syntax, names, references,",
                "types, cycles, durations, cron, windows, approvals and step arguments."},
        footer = {"", "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.",
                "Every diagnostic code is explained in docs/diagnostics.md."})
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files to check. Default: the .pipe files in the current directory.")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people) or json (one object with every diagnostic).")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw CliException.usage("--format must be text or json, not `" + format + "`");
        }
        List<Path> paths = PipeFiles.pipeFiles(files);
        var out = parent.cli.out();
        DiagnosticRenderer renderer = new DiagnosticRenderer(parent.terminal().color());
        int errors = 0;
        int warnings = 0;
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode fileNodes = json.createArrayNode();
        for (Path path : paths) {
            Compiler.Compiled c = Compiler.compile(path, true);
            for (Diagnostic d : c.diagnostics()) {
                if (d.isError()) {
                    errors++;
                } else {
                    warnings++;
                }
            }
            if (format.equals("json")) {
                fileNodes.add(fileJson(json, c.source(), c.diagnostics()));
            } else {
                out.print(renderer.render(c.diagnostics()));
            }
        }
        if (format.equals("json")) {
            ObjectNode root = json.createObjectNode();
            root.set("files", fileNodes);
            root.put("errors", errors);
            root.put("warnings", warnings);
            out.println(root.toPrettyString());
        } else {
            out.println(summary(paths.size(), errors, warnings));
        }
        return errors > 0 ? Exit.ERRORS : Exit.OK;
    }

    static String summary(int files, int errors, int warnings) {
        String what = files == 1 ? "1 file" : files + " files";
        if (errors == 0 && warnings == 0) {
            return "Checked " + what + ": no problems.";
        }
        return "Checked " + what + ": " + plural(errors, "error") + ", " + plural(warnings, "warning") + ".";
    }

    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    static ObjectNode fileJson(ObjectMapper json, SourceFile source, List<Diagnostic> diagnostics) {
        ObjectNode node = json.createObjectNode();
        node.put("path", source.path());
        ArrayNode list = node.putArray("diagnostics");
        for (Diagnostic d : diagnostics) {
            ObjectNode dn = list.addObject();
            // A finding inside a template is reported in the module that holds it.
            SourceFile in = d.source() == null ? source : d.source();
            if (!in.path().equals(source.path())) {
                dn.put("path", in.path());
            }
            dn.put("code", d.code().id());
            dn.put("severity", d.severity().label());
            dn.put("message", d.message());
            if (d.span() != null) {
                dn.put("line", in.line(d.span().start()));
                dn.put("column", in.column(d.span().start()));
                dn.put("endLine", in.line(d.span().end()));
                dn.put("endColumn", in.column(d.span().end()));
            }
            ArrayNode hints = dn.putArray("hints");
            d.hints().forEach(hints::add);
        }
        return node;
    }
}
