package dev.pipe.cli;

import dev.pipe.engine.plan.EventContext;
import dev.pipe.engine.plan.Plan;
import dev.pipe.engine.plan.PlanException;
import dev.pipe.engine.plan.PlanJson;
import dev.pipe.engine.plan.PlanText;
import dev.pipe.engine.plan.Planner;
import dev.pipe.lang.diag.DiagnosticRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what a run would do for one event, without running anything: every stage with",
                "run, skip or wait and the reason, the parallel groups, the gates, and each step's command."},
        footer = {"", "Exit codes: 0 plan printed, 1 the file has errors or the plan has problems (such as a",
                "missing required input), 2 usage error. See docs/planning.md and docs/plan-schema.md."})
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    PipeCommand parent;

    @Parameters(paramLabel = "FILE", arity = "1", description = "The .pipe file to plan.")
    Path file;

    @Mixin
    EventOptions event;

    @Mixin
    RunnerOption runner;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people), json or yaml (for machines).")
    String format;

    @Override
    public Integer call() {
        if (!List.of("text", "json", "yaml").contains(format)) {
            throw CliException.usage("--format must be text, json or yaml, not `" + format + "`");
        }
        java.util.function.Supplier<EventContext> soon = event.contextSoon(parent.cli.env(), file);
        Compiler.Compiled compiled = Compiler.compile(file);
        EventContext context = soon.get();
        Terminal terminal = parent.terminal();
        DiagnosticRenderer renderer = new DiagnosticRenderer(terminal.color());
        // Diagnostics go to stderr so that stdout stays a clean plan for machines.
        parent.cli.err().print(renderer.render(compiled.diagnostics()));
        if (compiled.hasErrors()) {
            parent.cli.err().println("pipe: " + file + ": no plan, because the file has errors (see above)");
            return Exit.ERRORS;
        }
        if (compiled.program().isModule()) {
            throw CliException.usage(file + ": is a module (templates, no `pipeline NAME`), so it cannot be planned on its own;"
                    + " import it from a pipeline");
        }
        Plan plan;
        try {
            plan = runner.apply(Planner.plan(compiled.source(), compiled.program(), context));
        } catch (PlanException e) {
            throw CliException.usage(e.getMessage());
        }
        var out = parent.cli.out();
        switch (format) {
            case "json" -> out.print(PlanJson.json(plan));
            case "yaml" -> out.print(PlanJson.yaml(plan));
            default -> out.print(PlanText.render(plan, terminal.color()));
        }
        return plan.problems().isEmpty() ? Exit.OK : Exit.ERRORS;
    }
}
