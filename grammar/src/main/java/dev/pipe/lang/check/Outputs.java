package dev.pipe.lang.check;

import dev.pipe.lang.diag.Suggest;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code stages.S.OUT} and {@code steps.S.OUT}: the stage must be a need (direct or not) of the
 * stage that reads it, the step must have run before the point that reads it, and the output must
 * be one the stage declares or the step's function produces.
 */
final class Outputs {
    private final Model m;
    private final Report r;
    private final Refs refs;

    Outputs(Model model, Report report, Refs refs) {
        this.m = model;
        this.r = report;
        this.refs = refs;
    }

    Type stage(Refs.Path p, Scope s) {
        if (refs.group(p, "stages.STAGE.OUTPUT")) {
            return Type.ANY;
        }
        String name = p.name(1);
        StageFacts target = m.stagesByName.get(name);
        if (target == null) {
            refs.unknown(p, 1, m.stagesByName.keySet());
            return Type.ANY;
        }
        if (p.size() == 2) {
            String example = target.outputs().isEmpty() ? "NAME" : target.outputs().keySet().iterator().next();
            r.add(Code.TYPE_MISMATCH, p.span(1), "`stages." + name + "` is a stage, not a value: name one of its outputs,"
                    + " such as `stages." + name + "." + example + "`");
            return Type.ANY;
        }
        if (s.stage() != null) {
            StageFacts current = s.stage();
            if (current.index() == target.index()) {
                r.add(Code.STAGE_NOT_NEEDED, p.span(1), current.name(), name)
                        .hint("a stage cannot read its own outputs; read its steps' outputs with `steps.STEP.OUTPUT`");
            } else if (!m.graph.reaches(current.index(), target.index())) {
                r.add(Code.STAGE_NOT_NEEDED, p.span(1), current.name(), name)
                        .hint("add it to the needs of `" + current.name() + "`: `needs [" + name + "]`, so that it runs first");
            }
        } else if (!s.hook()) {
            r.add(Code.UNKNOWN_REFERENCE, p.span(0), p.upTo(2))
                    .hint("stage outputs can be read only in stages that need the stage, and in hooks");
            return Type.ANY;
        }
        String output = p.name(2);
        Stage.Output declared = target.outputs().get(output);
        if (declared == null) {
            Report.Entry e = r.add(Code.UNKNOWN_OUTPUT, p.span(2), "stage", name, output)
                    .hint(Suggest.didYouMean(output, target.outputs().keySet()));
            e.hint(target.outputs().isEmpty() ? "stage `" + name + "` declares no outputs; add one with `output "
                    + output + " = ...`" : "stage `" + name + "` declares " + Suggest.list(target.outputs().keySet()));
            return Type.ANY;
        }
        Map<String, Type> types = m.outputTypes.get(target.index());
        Type t = types == null ? null : types.get(output);
        return refs.leaf(p, 3, t == null ? Type.ANY : t);
    }

    Type step(Refs.Path p, Scope s) {
        if (refs.group(p, "steps.STEP.OUTPUT")) {
            return Type.ANY;
        }
        String name = p.name(1);
        Scope.StepView view = s.steps();
        if (view == null && s.stage() == null) {
            r.add(Code.UNKNOWN_REFERENCE, p.span(0), p.upTo(Math.min(2, p.size() - 1)))
                    .hint("step outputs can be read only inside the stage or hook that runs the step");
            return Type.ANY;
        }
        Map<String, StepFacts> all = view != null ? view.all() : s.stage().steps();
        StepFacts step = all.get(name);
        if (step == null) {
            List<String> visible = new ArrayList<>();
            for (StepFacts f : all.values()) {
                if (view != null && view.visible(f)) {
                    visible.add(f.name());
                }
            }
            r.add(Code.UNKNOWN_OUTPUT_STEP, p.span(1), name, s.stage() != null ? s.where() : "this hook")
                    .hint(Suggest.didYouMean(name, visible))
                    .hint(visible.isEmpty() ? null : "steps that have run here: " + Suggest.list(visible));
            return Type.ANY;
        }
        if (view == null || !view.visible(step)) {
            r.add(Code.STEP_NOT_RUN_YET, p.span(1), name)
                    .hint(view == null ? "step outputs can be read in later steps, verify checks, rollback, finally and"
                            + " outputs, not in stage settings"
                            : "`" + name + "` is declared on line " + r.line(step.span())
                            + "; a step can read only the outputs of steps that ran before it");
            return Type.ANY;
        }
        if (p.size() == 2) {
            r.add(Code.TYPE_MISMATCH, p.span(1), "`steps." + name + "` is a step, not a value: name one of its outputs,"
                    + " such as `steps." + name + "." + example(step) + "`");
            return Type.ANY;
        }
        String output = p.name(2);
        StepSignature sig = step.signature();
        if (sig != null && sig.outputs() != null && !sig.outputs().contains(output)) {
            r.add(Code.UNKNOWN_OUTPUT, p.span(2), "step", name, output)
                    .hint(Suggest.didYouMean(output, sig.outputs()))
                    .hint(sig.outputs().isEmpty() ? "`" + sig.name() + "` produces no outputs"
                            : "`" + sig.name() + "` produces " + Suggest.list(sig.outputs()));
            return Type.ANY;
        }
        return refs.leaf(p, 3, Type.ANY);
    }

    private static String example(StepFacts step) {
        StepSignature sig = step.signature();
        return sig != null && sig.outputs() != null && !sig.outputs().isEmpty() ? sig.outputs().get(0) : "NAME";
    }
}
