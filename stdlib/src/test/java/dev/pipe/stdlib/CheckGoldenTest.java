package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.check.ImportResolver;
import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.golden.Golden;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every diagnostic the front end reports, one case each, rendered as a person sees it. */
class CheckGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/check");
    /** Cases that import local modules, kept in {@code lib/} beside them. */
    private static final Path MODULES = Path.of("src/test/resources/golden/modules");
    private static final CheckOptions OPTIONS = new CheckOptions(new Builtins(), new InDir(new FileImportResolver()));

    /**
     * The cases are named by file name alone, so that the expectations do not depend on where the
     * build runs; their imports are found in their folder all the same.
     */
    private record InDir(ImportResolver real) implements ImportResolver {
        private static SourceFile moved(SourceFile from) {
            return new SourceFile(DIR.resolve(from.path()).toString(), from.text());
        }

        @Override
        public boolean exists(SourceFile from, String path) {
            return real.exists(moved(from), path);
        }

        @Override
        public ModuleSteps steps(SourceFile from, String path) {
            return real.steps(moved(from), path);
        }

        /** A local module is named relative to the cases' folder too, as its importer is. */
        @Override
        public SourceFile load(SourceFile from, String path) {
            SourceFile found = real.load(moved(from), path);
            if (found == null || !found.path().startsWith(DIR + "/")) {
                return found;
            }
            return new SourceFile(found.path().substring(DIR.toString().length() + 1), found.text());
        }
    }

    @TestFactory
    Stream<DynamicTest> diagnostics() {
        return Golden.cases(DIR, "err", CheckGoldenTest::render);
    }

    /**
     * Imports resolve against the real folder, so the file is read by its path from the module;
     * the output names files relative to the cases' folder, as the other cases do.
     */
    @TestFactory
    Stream<DynamicTest> modules() {
        return Golden.cases(MODULES, "err", file -> {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                ParseResult parsed = SourceParser.parse(new SourceFile(file.toString(), text));
                String out = new DiagnosticRenderer(false).render(Checker.check(parsed,
                        new CheckOptions(new Builtins(), new FileImportResolver())));
                return out.replace(MODULES + "/", "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static String render(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            ParseResult parsed = SourceParser.parse(new SourceFile(file.getFileName().toString(), text));
            // git_* cases are checked as `pipe check` checks a file outside any git repository (W610).
            CheckOptions options = file.getFileName().toString().startsWith("git_")
                    ? new CheckOptions(new Builtins(), new FileImportResolver(),
                            file.getFileName() + " is not in a git repository")
                    : OPTIONS;
            List<Diagnostic> diagnostics = Checker.check(parsed, options);
            return new DiagnosticRenderer(false).render(diagnostics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyCodeHasACase() throws IOException {
        StringBuilder expectations = new StringBuilder();
        for (Path dir : List.of(DIR, MODULES)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".err")).toList()) {
                    expectations.append(Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (Code code : Code.values()) {
            if (!expectations.toString().contains("[" + code.id() + "]")) {
                missing.add(code.id() + " " + code.name());
            }
        }
        assertTrue(missing.isEmpty(), "codes without a golden case in " + DIR + ": " + missing);
    }

    @Test
    void everyCodeIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("../docs/diagnostics.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Code code : Code.values()) {
            if (!docs.contains("\n### " + code.id() + "\n")) {
                missing.add(code.id() + " " + code.name());
            }
        }
        assertTrue(missing.isEmpty(), "codes without a section in docs/diagnostics.md: " + missing);
    }
}
