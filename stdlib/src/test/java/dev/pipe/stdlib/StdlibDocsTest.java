package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.golden.Golden;
import dev.pipe.lang.parse.DocComments;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/stdlib.md is generated from the std modules, which are documented and check clean. */
class StdlibDocsTest {
    private static final Path DOCS = Path.of("../docs/stdlib.md");

    @Test
    void committedReferenceIsUpToDate() throws IOException {
        String generated = ModuleDocs.stdlib();
        if (Golden.updating()) {
            Files.writeString(DOCS, generated, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, Files.readString(DOCS, StandardCharsets.UTF_8),
                "docs/stdlib.md is stale: run `./pipe docs --stdlib > docs/stdlib.md` (or this test with -Dgolden.update=true)");
    }

    @Test
    void everyStdModuleIsListed() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/std"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pipe"))
                    .map(n -> n.substring(0, n.length() - ".pipe".length())).sorted().toList();
        }
        assertEquals(files, ModuleDocs.STD.stream().sorted().toList());
    }

    @Test
    void stdModulesCheckCleanAndDocumentEverything() {
        CheckOptions options = new CheckOptions(new Builtins(), new FileImportResolver());
        for (SourceFile f : ModuleDocs.std()) {
            ParseResult parsed = SourceParser.parse(f);
            var diagnostics = Checker.check(parsed, options);
            assertTrue(diagnostics.isEmpty(), () -> new DiagnosticRenderer(false).render(diagnostics));
            DocComments docs = new DocComments(parsed);
            assertFalse(docs.module().isEmpty(), f.path() + " has no module doc");
            List<String> undocumented = new ArrayList<>();
            for (Template t : parsed.program().templates()) {
                if (docs.above(t.span()).isEmpty()) {
                    undocumented.add(t.name().name());
                }
                for (Template.Param p : t.params()) {
                    if (docs.above(p.span()).isEmpty()) {
                        undocumented.add(t.name().name() + "." + p.name().name());
                    }
                }
            }
            assertEquals(List.of(), undocumented, f.path() + ": templates and parameters without a /// doc");
        }
    }

    @Test
    void docCommentsAreTheTripleSlashLinesRightAbove() {
        ParseResult parsed = SourceParser.parse(new SourceFile("m.pipe", """
                /// The module.
                /// Second line.

                // An ordinary comment is not a doc.
                template steps a {
                  /// The first.
                  ///
                  /// More about it.
                  param x: string

                  /// Not about y: a blank line follows.

                  param y: string
                }
                /// About b.
                //// A ruler, not a doc.
                template steps b {
                }
                """));
        DocComments docs = new DocComments(parsed);
        assertEquals("The module.\nSecond line.", docs.module());
        List<Template> templates = parsed.program().templates();
        assertEquals("", docs.above(templates.get(0).span()));
        assertEquals("The first.\n\nMore about it.", docs.above(templates.get(0).params().get(0).span()));
        assertEquals("", docs.above(templates.get(0).params().get(1).span()));
        assertEquals("", docs.above(templates.get(1).span()));
        assertEquals("", new DocComments(SourceParser.parse(new SourceFile("n.pipe", """
                /// About a, so not the module's.
                template steps a {
                }
                """))).module());
    }
}
