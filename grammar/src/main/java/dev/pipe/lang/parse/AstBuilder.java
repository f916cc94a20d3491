package dev.pipe.lang.parse;

import dev.pipe.lang.antlr.PipeParser;
import dev.pipe.lang.diag.Code;
import dev.pipe.lang.diag.Diagnostic;
import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Template;
import dev.pipe.lang.syntax.Trigger;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the ANTLR parse tree of a whole file into a {@link Program}. ANTLR types stop here.
 * Settings that may appear once are checked for repetition while building.
 */
final class AstBuilder extends ExprBuilder {
    private final StageBuilder stages;

    AstBuilder(SourceFile source, List<Diagnostic> diagnostics) {
        super(source, diagnostics);
        this.stages = new StageBuilder(this);
    }

    /** Reports a repeated singular setting and keeps the first. */
    <T> T once(T current, T next, String setting, String where, Span span) {
        if (current != null) {
            diagnostics.add(Diagnostic.of(Code.DUPLICATE_SETTING, source, span, setting, where)
                    .withHint("remove one of them"));
            return current;
        }
        return next;
    }

    Program program(PipeParser.FileContext ctx) {
        Ident name = ctx.pipelineDecl() == null ? null : ident(ctx.pipelineDecl().ident());
        List<Program.Import> imports = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        List<Trigger> triggers = new ArrayList<>();
        List<Environment> environments = new ArrayList<>();
        List<Stage> stageList = new ArrayList<>();
        List<Program.Hook> hooks = new ArrayList<>();
        Program.Secrets secrets = null;
        Program.Vars vars = null;
        for (PipeParser.TopItemContext item : ctx.topItem()) {
            if (item.importDecl() != null) {
                PipeParser.ImportDeclContext i = item.importDecl();
                List<Ident> allow = i.ident().stream().filter(id -> id != i.alias).map(this::ident).toList();
                imports.add(new Program.Import(string(i.string()), i.alias == null ? null : ident(i.alias), allow, span(i)));
            } else if (item.triggerDecl() != null) {
                triggers.add(trigger(item.triggerDecl()));
            } else if (item.hookDecl() != null) {
                PipeParser.HookDeclContext h = item.hookDecl();
                Program.HookKind kind = switch (h.kind.getType()) {
                    case PipeParser.SUCCESS -> Program.HookKind.SUCCESS;
                    case PipeParser.FAILURE -> Program.HookKind.FAILURE;
                    default -> Program.HookKind.ALWAYS;
                };
                hooks.add(new Program.Hook(kind, block(h.stepBlock()), span(h)));
            } else if (item.varsBlock() != null) {
                vars = once(vars, vars(item.varsBlock()), "vars", "the pipeline", span(item));
            } else if (item.secretsDecl() != null) {
                secrets = once(secrets, secrets(item.secretsDecl()), "secrets", "the pipeline", span(item));
            } else if (item.environmentDecl() != null) {
                environments.add(environment(item.environmentDecl()));
            } else if (item.stageDecl() != null) {
                stageList.add(stages.stage(item.stageDecl()));
            } else if (item.templateDecl() != null) {
                templates.add(template(item.templateDecl()));
            }
        }
        return new Program(name, imports, templates, triggers, secrets, vars, environments, stageList, hooks, span(ctx));
    }

    // ------------------------------------------------------------ templates

    private Template template(PipeParser.TemplateDeclContext ctx) {
        Ident name = ident(ctx.ident());
        Template.Kind kind = ctx.kind.getType() == PipeParser.STEPS ? Template.Kind.STEPS : Template.Kind.STAGE;
        List<Template.Param> params = new ArrayList<>();
        for (PipeParser.ParamDeclContext p : ctx.paramDecl()) {
            params.add(new Template.Param(ident(p.ident()), type(p.typeRef()), expr(p.expr()), span(p)));
        }
        if (kind == Template.Kind.STEPS) {
            for (PipeParser.StageItemContext item : ctx.stageItem()) {
                if (!(item instanceof PipeParser.StageStepContext) && !(item instanceof PipeParser.StageUseContext)) {
                    diagnostics.add(Diagnostic.of(Code.SYNTAX, source, span(item),
                                    "a steps template holds only `step`s and `use`s, not `" + item.getStart().getText() + "`")
                            .withHint("make it a `template stage` to set stage settings, or set them in the stage that uses it"));
                }
            }
        }
        String where = kind.keyword() + " template `" + name.name() + "`";
        Stage body = stages.stage(name, null, ctx.stageItem(), where, span(ctx));
        return new Template(kind, name, params, body, span(ctx));
    }

    // ------------------------------------------------------------ triggers

    private Trigger trigger(PipeParser.TriggerDeclContext ctx) {
        Span span = span(ctx);
        return switch (ctx) {
            case PipeParser.PushTriggerContext p -> new Trigger.Push(filters(p.pushFilter(), "on push"), span);
            case PipeParser.PullRequestTriggerContext p ->
                    new Trigger.PullRequest(filters(p.pushFilter(), "on pull_request"), span);
            case PipeParser.ManualTriggerContext m -> {
                List<Trigger.InputDecl> inputs = new ArrayList<>();
                for (PipeParser.InputDeclContext in : m.inputDecl()) {
                    inputs.add(new Trigger.InputDecl(ident(in.ident()), type(in.typeRef()), expr(in.expr()), span(in)));
                }
                yield new Trigger.Manual(inputs, span);
            }
            case PipeParser.ScheduleTriggerContext s -> new Trigger.Schedule(
                    string(s.string(0)), s.string().size() > 1 ? string(s.string(1)) : null, span);
            default -> throw new IllegalStateException(ctx.getClass().getName());
        };
    }

    private List<Trigger.Filter> filters(List<PipeParser.PushFilterContext> list, String where) {
        List<Trigger.Filter> out = new ArrayList<>();
        for (PipeParser.PushFilterContext f : list) {
            Trigger.FilterKind kind = switch (f.kind.getType()) {
                case PipeParser.BRANCHES -> Trigger.FilterKind.BRANCHES;
                case PipeParser.TAGS -> Trigger.FilterKind.TAGS;
                case PipeParser.PATHS -> Trigger.FilterKind.PATHS;
                default -> Trigger.FilterKind.PATHS_IGNORE;
            };
            for (Trigger.Filter seen : out) {
                if (seen.kind() == kind) {
                    diagnostics.add(Diagnostic.of(Code.DUPLICATE_SETTING, source, span(f), kind.keyword(), where)
                            .withHint("put all patterns in one list"));
                }
            }
            out.add(new Trigger.Filter(kind, strings(f.stringList()), span(f)));
        }
        return out;
    }

    private Trigger.InputType type(PipeParser.TypeRefContext ctx) {
        Span span = span(ctx);
        return switch (ctx) {
            case PipeParser.StringTypeContext ignored -> new Trigger.InputType(Trigger.InputKind.STRING, List.of(), span);
            case PipeParser.BoolTypeContext ignored -> new Trigger.InputType(Trigger.InputKind.BOOL, List.of(), span);
            case PipeParser.NumberTypeContext ignored -> new Trigger.InputType(Trigger.InputKind.NUMBER, List.of(), span);
            case PipeParser.DurationTypeContext ignored ->
                    new Trigger.InputType(Trigger.InputKind.DURATION, List.of(), span);
            case PipeParser.ListTypeContext ignored -> new Trigger.InputType(Trigger.InputKind.LIST, List.of(), span);
            case PipeParser.ChoiceTypeContext c -> {
                List<Expr.Str> choices = new ArrayList<>();
                for (PipeParser.StringContext s : c.string()) {
                    choices.add(string(s));
                }
                yield new Trigger.InputType(Trigger.InputKind.CHOICE, choices, span);
            }
            default -> throw new IllegalStateException(ctx.getClass().getName());
        };
    }

    // ------------------------------------------------------------ vars, secrets, environments

    Program.Vars vars(PipeParser.VarsBlockContext ctx) {
        return new Program.Vars(assignments(ctx.assignment()), span(ctx));
    }

    List<Program.Assignment> assignments(List<PipeParser.AssignmentContext> list) {
        List<Program.Assignment> out = new ArrayList<>();
        for (PipeParser.AssignmentContext a : list) {
            out.add(new Program.Assignment(ident(a.ident()), expr(a.expr()), span(a)));
        }
        return out;
    }

    Program.Secrets secrets(PipeParser.SecretsDeclContext ctx) {
        List<Ident> names = new ArrayList<>();
        for (PipeParser.IdentContext i : ctx.ident()) {
            names.add(ident(i));
        }
        return new Program.Secrets(names, span(ctx));
    }

    private Environment environment(PipeParser.EnvironmentDeclContext ctx) {
        Ident name = ident(ctx.ident());
        String where = "environment `" + name.name() + "`";
        Expr url = null;
        Program.Vars vars = null;
        Program.Secrets secrets = null;
        Environment.Approval approval = null;
        Environment.Window window = null;
        Span lock = null;
        for (PipeParser.EnvItemContext item : ctx.envItem()) {
            Span span = span(item);
            switch (item) {
                case PipeParser.EnvUrlContext u -> url = once(url, expr(u.expr()), "url", where, span);
                case PipeParser.EnvVarsContext v -> vars = once(vars, vars(v.varsBlock()), "vars", where, span);
                case PipeParser.EnvSecretsContext s ->
                        secrets = once(secrets, secrets(s.secretsDecl()), "secrets", where, span);
                case PipeParser.EnvApprovalContext a ->
                        approval = once(approval, approval(a.approvalBlock()), "approval", where, span);
                case PipeParser.EnvWindowContext w -> window = once(window, window(w.windowDecl()), "window", where, span);
                case PipeParser.EnvLockContext l -> lock = once(lock, span, "lock", where, span);
                default -> throw new IllegalStateException(item.getClass().getName());
            }
        }
        return new Environment(name, url, vars, secrets, approval, window, lock, span(ctx));
    }

    private Environment.Approval approval(PipeParser.ApprovalBlockContext ctx) {
        List<Expr.Str> approvers = null;
        Span approversSpan = null;
        Expr.Num required = null;
        Expr.Dur expires = null;
        Expr.Bool self = null;
        String where = "approval";
        for (PipeParser.ApprovalItemContext item : ctx.approvalItem()) {
            Span span = span(item);
            switch (item) {
                case PipeParser.ApproversContext a -> {
                    approvers = once(approvers, strings(a.stringList()), "approvers", where, span);
                    approversSpan = approversSpan == null ? span(a.stringList()) : approversSpan;
                }
                case PipeParser.ApprovalRequiredContext r ->
                        required = once(required, number(r.NUMBER()), "required", where, span);
                case PipeParser.ApprovalExpiresContext e ->
                        expires = once(expires, duration(e.duration()), "expires", where, span);
                case PipeParser.SelfApprovalContext s ->
                        self = once(self, bool(s.boolLit()), "self_approval", where, span);
                default -> throw new IllegalStateException(item.getClass().getName());
            }
        }
        return new Environment.Approval(approvers, approversSpan, required, expires, self, span(ctx));
    }

    private Environment.Window window(PipeParser.WindowDeclContext ctx) {
        Expr.Str tz = null;
        List<Environment.Freeze> freeze = null;
        Environment.OutsideAction outside = null;
        for (PipeParser.WindowOptionContext option : ctx.windowOption()) {
            Span span = span(option);
            switch (option) {
                case PipeParser.WindowTzContext t -> tz = once(tz, string(t.string()), "tz", "window", span);
                case PipeParser.WindowFreezeContext f -> {
                    List<Environment.Freeze> items = new ArrayList<>();
                    for (PipeParser.FreezeItemContext fi : f.freezeItem()) {
                        items.add(new Environment.Freeze(string(fi.string(0)),
                                fi.string().size() > 1 ? string(fi.string(1)) : null, span(fi)));
                    }
                    freeze = once(freeze, items, "freeze", "window", span);
                }
                case PipeParser.WindowOutsideContext o -> outside = once(outside,
                        o.action.getType() == PipeParser.FAIL ? Environment.OutsideAction.FAIL
                                : Environment.OutsideAction.WAIT, "outside", "window", span);
                default -> throw new IllegalStateException(option.getClass().getName());
            }
        }
        return new Environment.Window(string(ctx.string()), tz, freeze, outside, span(ctx));
    }

    // ------------------------------------------------------------ steps, shared with StageBuilder

    Block block(PipeParser.StepBlockContext ctx) {
        List<StepItem> items = new ArrayList<>();
        for (int i = 0; i < ctx.getChildCount(); i++) {
            if (ctx.getChild(i) instanceof PipeParser.StepDeclContext s) {
                items.add(step(s));
            } else if (ctx.getChild(i) instanceof PipeParser.CallContext c) {
                items.add(call(c));
            }
        }
        return new Block(items, span(ctx));
    }

    StepItem.Step step(PipeParser.StepDeclContext ctx) {
        Expr.Str name = string(ctx.string());
        String where = "step " + name.constantText();
        Expr.Num retry = null;
        Expr.Dur backoff = null;
        Expr.Dur timeout = null;
        List<Program.Assignment> env = null;
        Expr when = null;
        Span allowFailure = null;
        for (PipeParser.StepOptionContext option : ctx.stepOption()) {
            Span span = span(option);
            switch (option) {
                case PipeParser.StepRetryContext r -> {
                    retry = once(retry, number(r.NUMBER()), "retry", where, span);
                    backoff = r.duration() == null ? backoff : duration(r.duration());
                }
                case PipeParser.StepTimeoutContext t ->
                        timeout = once(timeout, duration(t.duration()), "timeout", where, span);
                case PipeParser.StepEnvContext e ->
                        env = once(env, assignments(e.envBlock().assignment()), "env", where, span);
                case PipeParser.StepWhenContext w -> when = once(when, expr(w.expr()), "when", where, span);
                case PipeParser.StepAllowFailureContext a ->
                        allowFailure = once(allowFailure, span, "allow_failure", where, span);
                default -> throw new IllegalStateException(option.getClass().getName());
            }
        }
        return new StepItem.Step(name, call(ctx.call()), retry, backoff, timeout, env, when, allowFailure != null,
                span(ctx));
    }

    StepItem.StepCall call(PipeParser.CallContext ctx) {
        List<StepItem.NamedArg> args = new ArrayList<>();
        for (PipeParser.NamedArgContext a : ctx.namedArg()) {
            args.add(new StepItem.NamedArg(ident(a.ident()), expr(a.expr()), span(a)));
        }
        return new StepItem.StepCall(qualified(ctx.qualifiedName()), expr(ctx.expr()), args, span(ctx));
    }
}
