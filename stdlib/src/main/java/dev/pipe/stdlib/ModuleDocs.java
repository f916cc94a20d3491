package dev.pipe.stdlib;

import dev.pipe.lang.check.Type;
import dev.pipe.lang.format.Formatter;
import dev.pipe.lang.parse.DocComments;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Template;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.List;

/**
 * Markdown reference of modules, written from their templates and doc comments: docs/stdlib.md
 * is this for the std modules ({@code pipe docs --stdlib}), and {@code pipe docs FILE} does the
 * same for a team's own modules.
 */
public final class ModuleDocs {
    /** The std modules, in the order the reference lists them; a test keeps it equal to the resources. */
    public static final List<String> STD = List.of("node", "deploy");

    private ModuleDocs() {
    }

    /** The std modules as they ship, for {@code import "std/NAME"}. */
    public static List<SourceFile> std() {
        List<SourceFile> out = new ArrayList<>();
        FileImportResolver resolver = new FileImportResolver();
        SourceFile from = new SourceFile("pipeline.pipe", "");
        for (String name : STD) {
            SourceFile f = resolver.load(from, "std/" + name);
            if (f == null) {
                throw new IllegalStateException("std/" + name + ".pipe is not on the classpath");
            }
            out.add(f);
        }
        return out;
    }

    /** docs/stdlib.md. */
    public static String stdlib() {
        StringBuilder md = new StringBuilder();
        md.append("# The standard library\n\n");
        md.append("<!-- Generated from stdlib/src/main/resources/std/*.pipe by `pipe docs --stdlib > docs/stdlib.md`;\n");
        md.append("     edit the modules' `///` comments, not this file. StdlibDocsTest fails when it is stale. -->\n\n");
        md.append("pipe ships modules written in .pipe itself. Import one with `import \"std/NAME\"`, then make\n");
        md.append("a stage from a stage template (`stage NAME from MODULE.TEMPLATE { arg: value }`) or add a\n");
        md.append("steps template's steps to a stage (`use MODULE.TEMPLATE { arg: value }`). Templates,\n");
        md.append("parameters and how they expand are described in [language.md](language.md#templates-and-modules).\n\n");
        for (SourceFile f : std()) {
            String name = f.path().substring(0, f.path().length() - ".pipe".length());
            md.append("- [`").append(name).append("`](#").append(name.replace("/", "")).append(")\n");
        }
        md.append('\n');
        for (SourceFile f : std()) {
            String path = f.path();
            md.append(module(f, path.substring(0, path.length() - ".pipe".length()), 2));
        }
        return md.toString();
    }

    /**
     * The reference of one module.
     *
     * @param importAs how the module is imported, such as {@code std/node} or {@code ./ci/common.pipe}
     * @param level the heading level of the module's title
     */
    public static String module(SourceFile file, String importAs, int level) {
        ParseResult parsed = SourceParser.parse(file);
        if (parsed.program() == null) {
            throw new IllegalArgumentException(file.path() + " has syntax errors; run `pipe check` on it");
        }
        DocComments docs = new DocComments(parsed);
        String last = importAs.substring(importAs.lastIndexOf('/') + 1);
        String alias = last.contains(".") ? last.substring(0, last.indexOf('.')) : last;
        String h = "#".repeat(level);
        StringBuilder md = new StringBuilder();
        md.append(h).append(' ').append(importAs).append("\n\n");
        md.append("```\nimport \"").append(importAs).append("\"\n```\n\n");
        String doc = docs.module();
        if (!doc.isEmpty()) {
            md.append(doc).append("\n\n");
        }
        for (Template t : parsed.program().templates()) {
            String qualified = alias + "." + t.name().name();
            md.append(h).append("# `").append(qualified).append("` (").append(t.kind().keyword()).append(" template)\n\n");
            String about = docs.above(t.span());
            if (!about.isEmpty()) {
                md.append(about).append("\n\n");
            }
            if (!t.params().isEmpty()) {
                md.append("| parameter | type | default | |\n|---|---|---|---|\n");
                for (Template.Param p : t.params()) {
                    md.append("| `").append(p.name().name()).append("` | ").append(type(p.type()))
                            .append(" | ").append(p.defaultValue() == null ? "required" : "`" + cell(Formatter.expression(p.defaultValue())) + "`")
                            .append(" | ").append(cell(docs.above(p.span()))).append(" |\n");
                }
                md.append('\n');
            }
            md.append("```\n").append(usage(t, qualified)).append("```\n\n");
        }
        return md.toString();
    }

    /** How a template is used, with its required arguments to fill in. */
    private static String usage(Template t, String qualified) {
        List<Template.Param> required = t.params().stream().filter(p -> p.defaultValue() == null).toList();
        StringBuilder sb = new StringBuilder(t.kind() == Template.Kind.STAGE ? "stage NAME from " : "use ").append(qualified);
        if (required.isEmpty()) {
            return sb.append('\n').toString();
        }
        sb.append(" {\n");
        for (Template.Param p : required) {
            sb.append("  ").append(p.name().name()).append(": ").append(example(p.type())).append('\n');
        }
        return sb.append("}\n").toString();
    }

    private static String example(Trigger.InputType type) {
        return switch (Type.of(type.kind())) {
            case BOOL -> "true";
            case NUMBER -> "1";
            case DURATION -> "10m";
            case LIST -> "[\"...\"]";
            default -> "\"...\"";
        };
    }

    private static String type(Trigger.InputType type) {
        if (type.kind() != Trigger.InputKind.CHOICE) {
            return type.kind().keyword();
        }
        List<String> choices = new ArrayList<>();
        for (Expr.Str c : type.choices()) {
            choices.add("`\"" + c.constantText() + "\"`");
        }
        return "one of " + String.join(", ", choices);
    }

    /** Text for a table cell: one line, pipes escaped. */
    private static String cell(String text) {
        return text.replace("\n", " ").replace("|", "\\|");
    }
}
