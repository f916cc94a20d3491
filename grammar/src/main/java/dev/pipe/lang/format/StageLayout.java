package dev.pipe.lang.format;

import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Template;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lays out stages, steps, verify checks and step blocks. A stage's settings come in one fixed
 * order: needs, when, runner, workdir, matrix, services, env, deploy, timeout, allow_failure,
 * steps, verify, rollback, finally, outputs.
 */
final class StageLayout {
    private final Layout l;

    StageLayout(Layout layout) {
        this.l = layout;
    }

    Node stage(Stage s) {
        List<Node> body = new ArrayList<>();
        String header = "stage " + s.name().name();
        if (s.from() != null) {
            header += " from " + s.from().template().name();
            body.addAll(args(s.from().args()));
        }
        body.addAll(settings(s));
        if (s.from() != null && body.isEmpty()) {
            return Node.line(header, l.span(s.span()));
        }
        return Node.block(header, l.span(s.span()), locate(body, s.name().span().end(), s.span()));
    }

    /** {@code template stage|steps NAME { params, then the body like a stage's }} */
    Node template(Template t) {
        List<Node> body = new ArrayList<>();
        for (Template.Param p : t.params()) {
            body.add(Node.line("param " + p.name().name() + ": " + Layout.type(p.type())
                    + (p.defaultValue() == null ? "" : " = " + Layout.expr(p.defaultValue())), l.span(p.span())));
        }
        List<Node> settings = settings(t.body());
        if (!body.isEmpty() && !settings.isEmpty()) {
            settings.getFirst().separated();
        }
        body.addAll(settings);
        return Node.block("template " + t.kind().keyword() + " " + t.name().name(), l.span(t.span()),
                locate(body, t.name().span().end(), t.span()));
    }

    /** {@code name: value} lines of a template's arguments, in the order written. */
    private List<Node> args(List<StepItem.NamedArg> args) {
        List<Node> out = new ArrayList<>();
        for (StepItem.NamedArg a : args) {
            out.add(Node.line(a.name().name() + ": " + Layout.expr(a.value()), l.span(a.span())));
        }
        return out;
    }

    private Node use(Stage.Use u) {
        String header = "use " + u.template().name();
        if (u.args().isEmpty()) {
            return Node.line(header, l.span(u.span()));
        }
        return Node.block(header, l.span(u.span()), args(u.args()));
    }

    /** A stage's settings in the canonical order; uses sit among the steps where they were written. */
    private List<Node> settings(Stage s) {
        List<Node> body = new ArrayList<>();
        if (s.needs() != null) {
            body.add(Node.line("needs " + Layout.names(s.needs().stages()), l.span(s.needs().span())));
        }
        if (s.when() != null) {
            body.add(Node.line("when " + Layout.expr(s.when()), l.keyword(s.when())));
        }
        if (s.runner() != null) {
            body.add(runner(s.runner()));
        }
        if (s.workdir() != null) {
            body.add(Node.line("workdir " + Layout.expr(s.workdir()), l.keyword(s.workdir())));
        }
        if (s.matrix() != null) {
            List<Node> axes = new ArrayList<>();
            for (Stage.Axis a : s.matrix().axes()) {
                axes.add(Node.line(a.name().name() + " " + ExprPrinter.list(a.values()), l.span(a.span())));
            }
            body.add(Node.block("matrix", l.span(s.matrix().span()), axes));
        }
        for (Stage.Service service : s.services()) {
            body.add(service(service));
        }
        if (s.env() != null) {
            body.add(l.env(s.env()));
        }
        if (s.deploy() != null) {
            Stage.Deploy d = s.deploy();
            body.add(Node.line("deploy to " + d.environment().name()
                    + (d.version() == null ? "" : " version " + Layout.expr(d.version())), l.span(d.span())));
        }
        if (s.timeout() != null) {
            body.add(Node.line("timeout " + s.timeout().text(), l.keyword(s.timeout())));
        }
        if (s.allowFailure() != null) {
            body.add(Node.line("allow_failure", l.span(s.allowFailure())));
        }
        int nextUse = 0;
        for (int i = 0; i <= s.steps().size(); i++) {
            while (nextUse < s.uses().size() && s.uses().get(nextUse).position() <= i) {
                body.add(use(s.uses().get(nextUse++)));
            }
            if (i < s.steps().size()) {
                body.add(step(s.steps().get(i)));
            }
        }
        while (nextUse < s.uses().size()) {
            body.add(use(s.uses().get(nextUse++)));
        }
        if (s.verify() != null) {
            body.add(verify(s.verify()));
        }
        if (s.rollback() != null) {
            body.add(block("rollback", s.rollback()));
        }
        if (s.finallyBlock() != null) {
            body.add(block("finally", s.finallyBlock()));
        }
        for (Stage.Output o : s.outputs()) {
            body.add(Node.line("output " + o.name().name() + " = " + Layout.expr(o.value()), l.span(o.span())));
        }
        return body;
    }

    private Node runner(Stage.Runner runner) {
        return switch (runner) {
            case Stage.Runner.Local local -> Node.line("runner local", l.span(local.span()));
            case Stage.Runner.Docker d -> {
                String header = "runner docker " + Layout.expr(d.image());
                if (d.user() == null && d.workdir() == null) {
                    yield Node.line(header, l.span(d.span()));
                }
                List<Node> options = new ArrayList<>();
                if (d.user() != null) {
                    options.add(Node.line("user " + Layout.expr(d.user()), l.keyword(d.user())));
                }
                if (d.workdir() != null) {
                    options.add(Node.line("workdir " + Layout.expr(d.workdir()), l.keyword(d.workdir())));
                }
                yield Node.block(header, l.span(d.span()), options);
            }
        };
    }

    private Node service(Stage.Service s) {
        String header = "service " + s.name().name() + " " + Layout.expr(s.image());
        if (s.env() == null && s.ready() == null) {
            return Node.line(header, l.span(s.span()));
        }
        List<Node> body = new ArrayList<>();
        if (s.env() != null) {
            body.add(l.env(s.env()));
        }
        if (s.ready() != null) {
            Stage.Ready r = s.ready();
            body.add(Node.line("ready " + Layout.expr(r.command())
                    + (r.retries() == null ? "" : " retries " + r.retries().text())
                    + (r.every() == null ? "" : " every " + r.every().text()), l.span(r.span())));
        }
        return Node.block(header, l.span(s.span()), locate(body, s.image().span().end(), s.span()));
    }

    /** {@code step "NAME" { call; retry; timeout; env; when; allow_failure }} */
    Node step(StepItem.Step s) {
        List<Node> body = new ArrayList<>();
        body.add(call(s.call()));
        if (s.retry() != null) {
            var retry = l.keyword(s.retry());
            if (s.backoff() != null && retry != null) {
                retry = retry.to(s.backoff().span());
            }
            body.add(Node.line("retry " + s.retry().text()
                    + (s.backoff() == null ? "" : " backoff " + s.backoff().text()), retry));
        }
        if (s.timeout() != null) {
            body.add(Node.line("timeout " + s.timeout().text(), l.keyword(s.timeout())));
        }
        if (s.env() != null) {
            body.add(l.env(s.env()));
        }
        if (s.when() != null) {
            body.add(Node.line("when " + Layout.expr(s.when()), l.keyword(s.when())));
        }
        if (s.allowFailure()) {
            body.add(Node.line("allow_failure", null));
        }
        return Node.block("step " + ExprPrinter.string(s.name()), l.span(s.span()),
                locate(body, s.call().span().end(), s.span()));
    }

    /**
     * The tree keeps no position for a step's {@code allow_failure} nor for an empty {@code env {}};
     * look for them in the block's text between {@code from} and its closing brace, outside
     * the items whose position is known, so that comments can attach to them too.
     */
    private List<Node> locate(List<Node> body, int from, Span block) {
        if (l.scan == null || block == null) {
            return body;
        }
        List<Span> known = new ArrayList<>();
        for (Node n : body) {
            if (n.span != null) {
                known.add(n.span);
            } else if (!(n.body == null ? n.text.equals("allow_failure") : n.body.isEmpty() && n.text.equals("env"))) {
                return body;
            }
        }
        known.sort(Comparator.comparingInt(Span::start));
        List<Node> out = new ArrayList<>(body);
        for (int i = 0; i < out.size(); i++) {
            Node n = out.get(i);
            if (n.span == null) {
                boolean env = n.body != null;
                Span found = l.scan.findOption(from, block.end() - 1, known, n.text, env);
                if (found != null) {
                    out.set(i, env ? Node.block("env", found, List.of()) : Node.line(n.text, found));
                }
            }
        }
        return out;
    }

    Node call(StepItem.StepCall c) {
        StringBuilder sb = new StringBuilder(c.function().name());
        if (c.positional() != null) {
            sb.append(' ').append(Layout.expr(c.positional()));
        }
        for (StepItem.NamedArg a : c.args()) {
            sb.append(' ').append(a.name().name()).append(": ").append(Layout.expr(a.value()));
        }
        return Node.line(sb.toString(), l.span(c.span()));
    }

    List<Node> items(List<StepItem> items) {
        List<Node> out = new ArrayList<>();
        for (StepItem item : items) {
            out.add(switch (item) {
                case StepItem.Step s -> step(s);
                case StepItem.StepCall c -> call(c);
            });
        }
        return out;
    }

    private Node block(String keyword, Block b) {
        return Node.block(keyword, l.keyword(b.span()), items(b.items()));
    }

    private Node verify(Stage.Verify v) {
        StringBuilder header = new StringBuilder("verify");
        if (v.soak() != null) {
            header.append(" for ").append(v.soak().text());
        }
        if (v.every() != null) {
            header.append(" every ").append(v.every().text());
        }
        List<Node> checks = new ArrayList<>();
        for (Stage.Check c : v.checks()) {
            checks.add(switch (c) {
                case Stage.Check.Http h -> http(h);
                case Stage.Check.Command cc -> command(cc);
            });
        }
        return Node.block(header.toString(), l.span(v.span()), checks);
    }

    private Node http(Stage.Check.Http h) {
        StringBuilder sb = new StringBuilder("http ").append(Layout.expr(h.url()));
        if (h.expect() != null) {
            sb.append(" expect ").append(h.expect().text());
        }
        if (h.contains() != null) {
            sb.append(" contains ").append(Layout.expr(h.contains()));
        }
        for (Stage.JsonAssert j : h.json()) {
            sb.append(" json ").append(ExprPrinter.string(j.path())).append(" == ").append(Layout.expr(j.value()));
        }
        if (h.timeout() != null) {
            sb.append(" timeout ").append(h.timeout().text());
        }
        if (h.retries() != null) {
            sb.append(" retries ").append(h.retries().text());
        }
        if (h.every() != null) {
            sb.append(" every ").append(h.every().text());
        }
        return Node.line(sb.toString(), l.span(h.span()));
    }

    private Node command(Stage.Check.Command c) {
        List<Node> body = new ArrayList<>();
        body.add(call(c.call()));
        if (c.retries() != null) {
            body.add(Node.line("retries " + c.retries().text(), l.keyword(c.retries())));
        }
        if (c.every() != null) {
            body.add(Node.line("every " + c.every().text(), l.keyword(c.every())));
        }
        if (c.timeout() != null) {
            body.add(Node.line("timeout " + c.timeout().text(), l.keyword(c.timeout())));
        }
        return Node.block("check " + ExprPrinter.string(c.name()), l.span(c.span()), body);
    }
}
