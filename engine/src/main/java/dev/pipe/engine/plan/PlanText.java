package dev.pipe.engine.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Plans for people: a header (pipeline, event, trigger, clock, short digest), the stage instances
 * group by group with their status and reasons, gates, steps ({@code $ npm test}), then hooks and
 * notes. Sentences wrap at 100 columns; commands never wrap, so they can be copied.
 */
public final class PlanText {
    static final int WIDTH = 100;
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";
    private static final String DETAIL = "          ";

    private final boolean color;
    private final StringBuilder out = new StringBuilder();

    private PlanText(boolean color) {
        this.color = color;
    }

    /** @param color ANSI colours, for a terminal */
    public static String render(Plan plan, boolean color) {
        PlanText t = new PlanText(color);
        t.header(plan);
        t.stages(plan);
        t.hooks(plan);
        t.list("notes", plan.notes());
        return t.out.toString();
    }

    private String paint(String style, String text) {
        return color ? style + text + RESET : text;
    }

    private void header(Plan plan) {
        out.append(paint(BOLD, "plan" + (plan.pipeline() == null ? "" : " for pipeline " + plan.pipeline())))
                .append(": ").append(plan.event().description()).append('\n');
        Plan.Event e = plan.event();
        field("trigger", plan.trigger() == null ? "none" : plan.trigger());
        if (!e.inputs().isEmpty()) {
            field("inputs", e.inputs().entrySet().stream().map(x -> x.getKey() + "=" + value(x.getValue()))
                    .collect(Collectors.joining(", ")));
        }
        if (e.kind().equals("push") || e.kind().equals("pull_request") || e.changed() != null) {
            field("changed", e.changed() == null ? "unknown" : e.changed().isEmpty() ? "nothing" : String.join(", ", e.changed()));
        }
        if (e.sha() != null) {
            field("commit", e.sha() + (e.message() == null ? "" : " " + e.message().lines().findFirst().orElse(""))
                    + (e.author() == null ? "" : " (" + e.author() + ")"));
        }
        if (e.triggeredBy() != null) {
            field("by", e.triggeredBy());
        }
        field("clock", e.at());
        field("digest", PlanDigest.shortForm(plan.digest()));
        field("stages", summary(plan));
        list("problems", plan.problems());
        List<String> shared = shared(plan);
        if (!shared.isEmpty()) {
            List<String> left = shared.stream().filter(r -> !plan.problems().contains(r)).toList();
            out.append('\n').append(paint(BOLD, left.isEmpty() ? "nothing runs until the problems above are solved"
                    : "nothing runs")).append('\n');
            for (String r : left) {
                wrap("  - ", r, "    ");
            }
        }
    }

    /** Reasons every stage is skipped for (no trigger, a missing input): said once, not per stage. */
    private static List<String> shared(Plan plan) {
        if (plan.stages().isEmpty()) {
            return List.of();
        }
        List<String> first = plan.stages().get(0).reasons();
        boolean all = plan.stages().stream().allMatch(s -> s.status() == PlanStage.Status.SKIP && s.reasons().equals(first));
        return all ? first : List.of();
    }

    private void field(String name, String value) {
        wrap("  " + pad(name, 9), value, "  " + " ".repeat(9));
    }

    private static String summary(Plan plan) {
        long run = plan.stages().stream().filter(s -> s.status() == PlanStage.Status.RUN).count();
        long wait = plan.stages().stream().filter(s -> s.status() == PlanStage.Status.WAIT).count();
        long skip = plan.stages().stream().filter(s -> s.status() == PlanStage.Status.SKIP).count();
        int groups = plan.groupCount();
        return run + " run, " + wait + " wait, " + skip + " skip, in " + groups + (groups == 1 ? " group" : " groups");
    }

    private void stages(Plan plan) {
        int group = 0;
        boolean shared = !shared(plan).isEmpty();
        for (PlanStage s : plan.stages()) {
            if (s.group() != group) {
                group = s.group();
                out.append('\n').append(paint(BOLD, "group " + group)).append('\n');
            }
            stage(s, shared);
        }
    }

    private void stage(PlanStage s, boolean sharedReasons) {
        String status = switch (s.status()) {
            case RUN -> paint(GREEN, "run ");
            case WAIT -> paint(YELLOW, "wait");
            case SKIP -> paint(DIM, "skip");
        };
        out.append("  ").append(status).append("  ").append(s.status() == PlanStage.Status.SKIP ? paint(DIM, s.name()) : paint(BOLD, s.name()));
        if (!s.needs().isEmpty()) {
            out.append("  needs ").append(String.join(", ", s.needs()));
        }
        out.append('\n');
        for (String r : sharedReasons ? List.<String>of() : s.reasons()) {
            wrap(DETAIL + "- ", r, DETAIL + "  ");
        }
        for (String n : s.notes()) {
            wrap(DETAIL + "note: ", n, DETAIL + "      ");
        }
        if (s.status() == PlanStage.Status.SKIP) {
            return;
        }
        if (s.deploy() != null) {
            PlanStage.Deploy d = s.deploy();
            line("deploys to " + d.environment() + (d.url() == null ? "" : " (" + d.url() + ")"));
            if (d.version() != null || d.versionNote() != null) {
                String version = d.version() == null ? "unset" : d.version();
                wrap(DETAIL + "version ", version + (d.versionNote() == null ? "" : " — " + d.versionNote()), DETAIL + "  ");
            }
        }
        for (Gate g : s.gates()) {
            wrap(DETAIL + "gate " + pad(g.kind(), 9), g.summary(), DETAIL + " ".repeat(14));
        }
        line("runner " + runner(s.runner()) + (s.workdir() == null ? "" : ", workdir " + s.workdir()));
        if (!"local".equals(s.runner().kind())) {
            wrap(DETAIL + "creates ", containers(s), DETAIL + "  ");
        }
        if (s.timeout() != null || s.allowFailure()) {
            line(String.join(", ", options(s.timeout() == null ? null : "timeout " + s.timeout(),
                    s.allowFailure() ? "allowed to fail" : null)));
        }
        if (s.deploy() != null && !s.secrets().isEmpty()) {
            wrap(DETAIL + "secrets ", String.join(", ", s.secrets()), DETAIL + "  ");
        }
        if (!s.env().isEmpty()) {
            wrap(DETAIL + "env ", env(s.env()), DETAIL + "  ");
        }
        for (PlanStage.Service svc : s.services()) {
            String extra = svc.env().isEmpty() ? "" : " (env " + env(svc.env()) + ")";
            line("service " + svc.name() + " " + svc.image() + extra);
            if (svc.ready() != null) {
                List<String> opts = options(svc.ready().retries() == null ? null : "retries " + svc.ready().retries(),
                        svc.ready().every() == null ? null : "every " + svc.ready().every());
                line("  ready " + svc.ready().command() + (opts.isEmpty() ? "" : " (" + String.join(", ", opts) + ")"));
            }
        }
        for (PlanStep step : s.steps()) {
            step(step, DETAIL);
        }
        if (s.verify() != null) {
            verify(s.verify());
        }
        block("rollback", s.rollback());
        block("finally", s.finallySteps());
        for (PlanStage.Output o : s.outputs()) {
            line("output " + o.name() + " = " + o.value());
        }
    }

    private void verify(PlanStage.Verify v) {
        line("verify" + (v.soak() == null ? "" : " for " + v.soak()) + (v.every() == null ? "" : " every " + v.every()));
        String indent = DETAIL + "  ";
        for (PlanStage.Check c : v.checks()) {
            List<String> opts = options(c.retries() == null ? null : "retries " + c.retries(),
                    c.every() == null ? null : "every " + c.every(), c.timeout() == null ? null : "timeout " + c.timeout());
            if (c.kind().equals("http")) {
                StringBuilder sb = new StringBuilder("http ").append(c.url());
                if (c.expect() != null) {
                    sb.append(" expect ").append(c.expect());
                }
                if (c.contains() != null) {
                    sb.append(" contains ").append(quote(c.contains()));
                }
                for (String j : c.json()) {
                    sb.append(" json ").append(j);
                }
                out.append(indent).append(sb).append(opts.isEmpty() ? "" : " (" + String.join(", ", opts) + ")").append('\n');
            } else {
                out.append(indent).append("check ").append(quote(c.name()))
                        .append(opts.isEmpty() ? "" : " (" + String.join(", ", opts) + ")").append('\n');
                call(c.step(), indent + "  ");
            }
        }
    }

    private void block(String name, List<PlanStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        line(name);
        for (PlanStep step : steps) {
            step(step, DETAIL + "  ");
        }
    }

    private void step(PlanStep step, String indent) {
        String inner = indent;
        if (step.name() != null) {
            List<String> opts = options(
                    step.retry() == null ? null : "retry " + step.retry() + (step.backoff() == null ? "" : " backoff " + step.backoff()),
                    step.timeout() == null ? null : "timeout " + step.timeout(),
                    step.allowFailure() ? "allowed to fail" : null);
            out.append(indent).append("step ").append(quote(step.name()))
                    .append(opts.isEmpty() ? "" : " (" + String.join(", ", opts) + ")").append('\n');
            inner = indent + "  ";
        }
        if (step.when() != null) {
            String judged = Boolean.FALSE.equals(step.whenValue()) ? step.whenReason() + "; the step is skipped"
                    : step.whenReason();
            wrap(inner, judged, inner + "  ");
        }
        if (!step.env().isEmpty()) {
            wrap(inner + "env ", env(step.env()), inner + "  ");
        }
        call(step, inner);
    }

    private void call(PlanStep step, String indent) {
        if (step.command() != null) {
            List<String> lines = step.command().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                out.append(indent).append(i == 0 ? paint(BOLD, "$") + " " : "  ").append(lines.get(i)).append('\n');
            }
            if (lines.isEmpty()) {
                out.append(indent).append(paint(BOLD, "$")).append('\n');
            }
            if (!step.args().isEmpty()) {
                out.append(indent).append("  ").append(args(step.args())).append('\n');
            }
            return;
        }
        out.append(indent).append(step.call()).append(step.args().isEmpty() ? "" : " " + args(step.args())).append('\n');
    }

    private static String args(List<PlanStep.Arg> args) {
        return args.stream().map(a -> (a.name() == null ? "" : a.name() + ": ") + value(a.value()))
                .collect(Collectors.joining(" "));
    }

    private void hooks(Plan plan) {
        if (plan.hooks().isEmpty()) {
            return;
        }
        out.append('\n').append(paint(BOLD, "hooks")).append('\n');
        for (Plan.Hook h : plan.hooks()) {
            out.append("  on ").append(h.on()).append('\n');
            for (PlanStep step : h.steps()) {
                step(step, "    ");
            }
        }
    }

    private void list(String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        out.append('\n').append(paint(title.equals("problems") ? RED + BOLD : BOLD, title)).append('\n');
        for (String item : items) {
            wrap("  - ", item, "    ");
        }
    }

    private void line(String text) {
        out.append(DETAIL).append(text).append('\n');
    }

    /** Writes {@code first + text}, wrapping at spaces to {@link #WIDTH} columns with {@code rest} before later lines. */
    private void wrap(String first, String text, String rest) {
        String prefix = first;
        String remaining = text;
        while (prefix.length() + remaining.length() > WIDTH) {
            int room = WIDTH - prefix.length();
            int cut = remaining.lastIndexOf(' ', room);
            // keep "name = value" together
            while (cut > 0 && (remaining.charAt(cut - 1) == '=' || (cut + 1 < remaining.length() && remaining.charAt(cut + 1) == '='))) {
                cut = remaining.lastIndexOf(' ', cut - 1);
            }
            if (cut <= 0) {
                cut = remaining.indexOf(' ', room);
                if (cut < 0) {
                    break;
                }
            }
            out.append(prefix).append(remaining, 0, cut).append('\n');
            remaining = remaining.substring(cut + 1);
            prefix = rest;
        }
        out.append(prefix).append(remaining).append('\n');
    }

    /** What a container stage makes on the engine, all of it removed when the stage ends. */
    private static String containers(PlanStage s) {
        String services = s.services().stream().map(PlanStage.Service::name).collect(Collectors.joining(", "));
        return "a container of " + s.runner().image() + " for the steps"
                + (services.isEmpty() ? "" : ", service containers " + services + " and a network")
                + ", removed when the stage ends";
    }

    private static String runner(PlanStage.Runner r) {
        if (r.kind().equals("local")) {
            return "local";
        }
        List<String> opts = options(r.user() == null ? null : "user " + r.user(), r.workdir() == null ? null : "workdir " + r.workdir());
        return "docker " + r.image() + (opts.isEmpty() ? "" : " (" + String.join(", ", opts) + ")");
    }

    private static String env(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(", "));
    }

    /** A value as an argument: quoted when it has spaces, quotes or nothing at all. */
    private static String value(String v) {
        boolean plain = !v.isEmpty() && v.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == ',');
        return plain ? v : quote(v);
    }

    /** Quotes for reading, not for pasting into a .pipe file: {@code ${...}} stays as it is. */
    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static List<String> options(String... items) {
        List<String> out = new ArrayList<>();
        for (String i : items) {
            if (i != null) {
                out.add(i);
            }
        }
        return out;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
