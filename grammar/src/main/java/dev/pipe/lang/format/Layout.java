package dev.pipe.lang.format;

import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Lays a {@link Program} out as {@link Node}s in the canonical order: pipeline name, imports,
 * templates, triggers, secrets, vars, environments, stages, hooks; settings inside a block in a fixed order.
 */
final class Layout {
    /** Null when formatting a tree without source text: then spans are unknown. */
    final SourceScan scan;
    private final StageLayout stages;

    Layout(SourceScan scan) {
        this.scan = scan;
        this.stages = new StageLayout(this);
    }

    List<Node> program(Program p) {
        List<Node> out = new ArrayList<>();
        if (p.name() != null) {
            out.add(Node.line("pipeline " + p.name().name(), keyword(p.name().span())));
        }
        group(out, p.imports(), i -> Node.line("import " + ExprPrinter.string(i.path())
                + (i.alias() == null ? "" : " as " + i.alias().name())
                + (i.allow().isEmpty() ? "" : " allow " + String.join(", ", i.allow().stream().map(Ident::name).toList())),
                span(i.span())));
        for (var t : p.templates()) {
            out.add(stages.template(t).separated());
        }
        group(out, p.triggers(), this::trigger);
        if (p.secrets() != null) {
            out.add(secrets(p.secrets()).separated());
        }
        if (p.vars() != null) {
            out.add(vars(p.vars()).separated());
        }
        for (Environment e : p.environments()) {
            out.add(environment(e).separated());
        }
        for (var s : p.stages()) {
            out.add(stages.stage(s).separated());
        }
        for (Program.Hook h : p.hooks()) {
            out.add(Node.block("on " + h.kind().keyword(), span(h.span()), stages.items(h.steps().items()))
                    .separated());
        }
        return out;
    }

    /** A group of one-line declarations set off by a blank line from what comes before. */
    private static <T> void group(List<Node> out, List<T> items, Function<T, Node> node) {
        for (int i = 0; i < items.size(); i++) {
            Node n = node.apply(items.get(i));
            out.add(i == 0 ? n.separated() : n);
        }
    }

    // ------------------------------------------------------------ spans

    Span span(Span s) {
        return scan == null ? null : s;
    }

    Span keyword(Span value) {
        return scan == null ? null : scan.withKeyword(value);
    }

    Span keyword(Expr value) {
        return value == null ? null : keyword(value.span());
    }

    // ------------------------------------------------------------ shared pieces

    static String expr(Expr e) {
        return ExprPrinter.print(e);
    }

    static String names(List<Ident> names) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i).name());
        }
        return sb.append(']').toString();
    }

    Node secrets(Program.Secrets s) {
        return Node.line("secrets " + names(s.names()), span(s.span()));
    }

    Node vars(Program.Vars v) {
        return Node.block("vars", span(v.span()), assignments(v.entries()));
    }

    /** {@code env { ... }} in stages, steps and services; its span is found from its entries. */
    Node env(List<Program.Assignment> entries) {
        return Node.block("env", scan == null ? null : scan.assignmentBlock(entries), assignments(entries));
    }

    private List<Node> assignments(List<Program.Assignment> entries) {
        List<Node> out = new ArrayList<>();
        for (Program.Assignment a : entries) {
            out.add(Node.line(a.name().name() + " = " + expr(a.value()), span(a.span())));
        }
        return out;
    }

    // ------------------------------------------------------------ triggers

    private Node trigger(Trigger t) {
        Span span = span(t.span());
        return switch (t) {
            case Trigger.Push p -> Node.line("on push" + filters(p.filters()), span);
            case Trigger.PullRequest p -> Node.line("on pull_request" + filters(p.filters()), span);
            case Trigger.Manual m -> {
                if (m.inputs().isEmpty()) {
                    yield Node.line("on manual", span);
                }
                List<Node> inputs = new ArrayList<>();
                for (Trigger.InputDecl in : m.inputs()) {
                    inputs.add(Node.line("input " + in.name().name() + ": " + type(in.type())
                            + (in.defaultValue() == null ? "" : " = " + expr(in.defaultValue())), span(in.span())));
                }
                yield Node.block("on manual", span, inputs);
            }
            case Trigger.Schedule s -> Node.line("on schedule " + ExprPrinter.string(s.cron())
                    + (s.tz() == null ? "" : " tz " + ExprPrinter.string(s.tz())), span);
        };
    }

    private static String filters(List<Trigger.Filter> filters) {
        StringBuilder sb = new StringBuilder();
        for (Trigger.Filter f : filters) {
            sb.append(' ').append(f.kind().keyword()).append(' ').append(ExprPrinter.list(f.patterns()));
        }
        return sb.toString();
    }

    static String type(Trigger.InputType t) {
        if (t.kind() != Trigger.InputKind.CHOICE) {
            return t.kind().keyword();
        }
        StringBuilder sb = new StringBuilder("choice(");
        for (int i = 0; i < t.choices().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(ExprPrinter.string(t.choices().get(i)));
        }
        return sb.append(')').toString();
    }

    // ------------------------------------------------------------ environments

    private Node environment(Environment e) {
        List<Node> body = new ArrayList<>();
        if (e.url() != null) {
            body.add(Node.line("url " + expr(e.url()), keyword(e.url())));
        }
        if (e.vars() != null) {
            body.add(vars(e.vars()));
        }
        if (e.secrets() != null) {
            body.add(secrets(e.secrets()));
        }
        if (e.approval() != null) {
            body.add(approval(e.approval()));
        }
        if (e.window() != null) {
            body.add(window(e.window()));
        }
        if (e.lock() != null) {
            body.add(Node.line("lock", span(e.lock())));
        }
        return Node.block("environment " + e.name().name(), span(e.span()), body);
    }

    private Node approval(Environment.Approval a) {
        List<Node> body = new ArrayList<>();
        if (a.approvers() != null) {
            body.add(Node.line("approvers " + ExprPrinter.list(a.approvers()),
                    a.approversSpan() == null ? null : keyword(a.approversSpan())));
        }
        if (a.required() != null) {
            body.add(Node.line("required " + a.required().text(), keyword(a.required())));
        }
        if (a.expires() != null) {
            body.add(Node.line("expires " + a.expires().text(), keyword(a.expires())));
        }
        if (a.selfApproval() != null) {
            body.add(Node.line("self_approval " + a.selfApproval().value(), keyword(a.selfApproval())));
        }
        return Node.block("approval", span(a.span()), body);
    }

    private Node window(Environment.Window w) {
        StringBuilder sb = new StringBuilder("window ").append(ExprPrinter.string(w.spec()));
        if (w.tz() != null) {
            sb.append(" tz ").append(ExprPrinter.string(w.tz()));
        }
        if (w.freeze() != null) {
            sb.append(" freeze [");
            for (int i = 0; i < w.freeze().size(); i++) {
                Environment.Freeze f = w.freeze().get(i);
                sb.append(i == 0 ? "" : ", ").append(ExprPrinter.string(f.from()));
                if (f.to() != null) {
                    sb.append("..").append(ExprPrinter.string(f.to()));
                }
            }
            sb.append(']');
        }
        if (w.outside() != null) {
            sb.append(" outside ").append(w.outside().keyword());
        }
        return Node.line(sb.toString(), span(w.span()));
    }
}
