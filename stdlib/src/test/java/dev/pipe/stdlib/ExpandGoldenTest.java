package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.check.CheckOptions;
import dev.pipe.lang.check.Checker;
import dev.pipe.lang.diag.DiagnosticRenderer;
import dev.pipe.lang.format.Formatter;
import dev.pipe.lang.golden.Golden;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What templates expand to, as pipe source: {@code golden/expand/NAME.pipe} beside
 * {@code NAME.expanded}, the pipeline the checker, planner and engine see once every
 * {@code stage ... from} and {@code use} is replaced (printed without the templates themselves).
 * Each case must check clean.
 */
class ExpandGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/expand");
    private static final CheckOptions OPTIONS = new CheckOptions(new Builtins(), new FileImportResolver());

    @TestFactory
    Stream<DynamicTest> expansions() {
        return Golden.cases(DIR, "expanded", file -> {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Checker.Checked checked = Checker.compile(SourceParser.parse(new SourceFile(file.toString(), text)), OPTIONS);
                assertTrue(checked.diagnostics().isEmpty(), () -> new DiagnosticRenderer(false).render(checked.diagnostics()));
                return Formatter.format(plain(checked.program()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The expanded program without templates, and its stages without the `from` they keep for plans. */
    private static Program plain(Program p) {
        List<Stage> stages = p.stages().stream().map(s -> new Stage(s.name(), null, s.needs(), s.when(), s.runner(),
                s.workdir(), s.matrix(), s.services(), s.env(), s.deploy(), s.timeout(), s.allowFailure(), s.steps(),
                s.verify(), s.rollback(), s.finallyBlock(), s.outputs(), s.uses(), s.span())).toList();
        return new Program(p.name(), p.imports(), List.of(), p.triggers(), p.secrets(), p.vars(), p.environments(), stages,
                p.hooks(), p.span());
    }
}
