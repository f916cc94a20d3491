package dev.pipe.lang.check;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checker: everything that can be known wrong about a pipeline before it runs.
 *
 * <p>It works on a tree that parsed cleanly, once {@link Templates} has read the imported modules
 * and expanded every template, and reports every finding of the phase, not just the
 * first: names and the need graph ({@link Names}), pipeline settings ({@link Pipeline}), every
 * stage with its steps ({@link Stages}, {@link Steps}), then stages that can never run
 * ({@link Reach}). Expressions are typed and resolved by {@link Exprs} and {@link Refs} in a
 * {@link Scope} that says what they can see where they are written. Every pass is linear in the
 * size of the file: names are looked up in maps, and the need graph is walked without recursion.
 */
public final class Checker {
    private Checker() {
    }

    /**
     * Checks a parsed file.
     *
     * @return the parse result's own diagnostics together with the checker's, sorted by position;
     *     empty when the pipeline is fine. Never throws.
     */
    public static List<Diagnostic> check(ParseResult parsed, CheckOptions options) {
        return compile(parsed, options).diagnostics();
    }

    /**
     * A checked pipeline: the program with every template expanded (what the planner works on),
     * or the program as parsed for a module or a file that did not parse; and every finding.
     */
    public record Checked(Program program, List<Diagnostic> diagnostics) {
        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    /**
     * Checks a parsed file after reading the modules it imports and expanding its templates.
     * Findings in the file come first, by position, then findings in modules, by file and position.
     * Never throws.
     */
    public static Checked compile(ParseResult parsed, CheckOptions options) {
        List<Diagnostic> all = new ArrayList<>(parsed.diagnostics());
        Program program = parsed.program();
        if (program != null) {
            Regions regions = new Regions(parsed.source());
            Report report = new Report(parsed.source(), false, regions);
            Templates templates = new Templates(options, report, regions);
            try {
                if (Templates.isModule(program)) {
                    Program alone = templates.module(parsed);
                    if (alone != null) {
                        Report inside = new Report(parsed.source(), false, regions);
                        run(alone, options, inside, templates);
                        all.addAll(inside.diagnostics((code, span) -> Templates.intrinsic(code) && !templates.isPlaceholder(span)));
                    }
                } else {
                    program = templates.expand(parsed);
                    run(program, options, report, templates);
                }
                // A missing or unusable argument's stand-in would only repeat that error elsewhere.
                all.addAll(report.diagnostics((code, span) -> code == Code.MISSING_TEMPLATE_ARGUMENT
                        || code == Code.WRONG_TEMPLATE_ARGUMENT || !templates.isPlaceholder(span)));
                all.addAll(templates.moduleDiagnostics());
            } catch (StackOverflowError e) {
                all.add(Diagnostic.of(Code.TOO_DEEP, parsed.source(), new Span(0, 0), SourceParser.MAX_NESTING)
                        .withHint("an expression here is too long or too deep to check safely; split it up"));
            }
        }
        String main = parsed.source().path();
        all.sort(Comparator.comparing((Diagnostic d) -> d.source() == null || !d.source().path().equals(main))
                .thenComparing(d -> d.source() == null ? "" : d.source().path())
                .thenComparingInt(d -> d.span() == null ? 0 : d.span().start()));
        return new Checked(program, distinct(all));
    }

    /** A template used twice can make the same finding twice at one place; say it once. */
    private static List<Diagnostic> distinct(List<Diagnostic> all) {
        List<Diagnostic> out = new ArrayList<>(all.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Diagnostic d : all) {
            String key = d.code().id() + "\n" + d.location() + "\n" + (d.span() == null ? 0 : d.span().end())
                    + "\n" + d.message();
            if (seen.add(key)) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    private static void run(Program program, CheckOptions options, Report report, Templates templates) {
        Model m = new Model(program, report.source(), options, report);
        m.quiet = new Exprs(m, new Report(report.source(), true));
        Exprs exprs = new Exprs(m, report);
        new Names(m).check();
        new Pipeline(m, exprs).check();
        outputTypes(m);
        Stages stages = new Stages(m, exprs);
        for (StageFacts f : m.stages) {
            stages.check(f);
        }
        // A stage declared twice is reported once by name; its body is still checked.
        for (Stage s : program.stages()) {
            StageFacts first = m.stagesByName.get(s.name().name());
            if (first.stage() != s) {
                stages.check(m.facts(first.index(), s));
            }
        }
        for (Program.Hook hook : program.hooks()) {
            stages.hook(hook);
        }
        new Reach(m).check();
        templates.checkArguments(m);
    }

    /** Infers the type of every stage output, needed stages first, so that readers get typed values. */
    private static void outputTypes(Model m) {
        for (int v : m.graph.order()) {
            StageFacts f = m.stages.get(v);
            if (f.outputs().isEmpty()) {
                continue;
            }
            Scope scope = new Scope(Scope.Place.OUTPUT, f, false, f.environment(), Scope.StepView.afterMain(f.steps()));
            Map<String, Type> types = new HashMap<>();
            for (Stage.Output o : f.outputs().values()) {
                types.put(o.name().name(), m.quiet.infer(o.value(), scope));
            }
            m.outputTypes.put(v, types);
        }
    }
}
