package dev.pipe.lang.syntax;

import java.util.List;

/**
 * {@code stage NAME { ... }}: a node of the pipeline's DAG. Singular settings are null when
 * absent; {@code needs} is null when the stage declares none.
 */
public record Stage(
        Ident name,
        From from,
        Needs needs,
        Expr when,
        Runner runner,
        Expr workdir,
        Matrix matrix,
        List<Service> services,
        List<Program.Assignment> env,
        Deploy deploy,
        Expr.Dur timeout,
        Span allowFailure,
        List<StepItem.Step> steps,
        Verify verify,
        Block rollback,
        Block finallyBlock,
        List<Output> outputs,
        List<Use> uses,
        Span span) {

    public Stage {
        services = List.copyOf(services);
        env = env == null ? null : List.copyOf(env);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
        uses = List.copyOf(uses);
    }

    /** Names of the stages this one needs, empty when none. */
    public List<Ident> needsList() {
        return needs == null ? List.of() : needs.stages();
    }

    public boolean allowsFailure() {
        return allowFailure != null;
    }

    /**
     * {@code stage NAME from TEMPLATE { arg: value ... }}: the stage is made from a stage template.
     * Template expansion keeps it on the stage it makes, so that a plan can say where a stage came from.
     */
    public record From(Ident template, List<StepItem.NamedArg> args, Span span) {
        public From {
            args = List.copyOf(args);
        }
    }

    /**
     * {@code use TEMPLATE [{ arg: value ... }]}: the steps of a steps template, spliced in before the
     * stage's step number {@code position} (counting only the steps written in the stage itself).
     */
    public record Use(Ident template, List<StepItem.NamedArg> args, int position, Span span) {
        public Use {
            args = List.copyOf(args);
        }
    }

    public record Needs(List<Ident> stages, Span span) {
        public Needs {
            stages = List.copyOf(stages);
        }
    }

    /** {@code runner local} or {@code runner docker IMAGE [{ user U workdir W }]}. */
    public sealed interface Runner {
        Span span();

        record Local(Span span) implements Runner {
        }

        record Docker(Expr image, Expr user, Expr workdir, Span span) implements Runner {
        }
    }

    /** {@code matrix { axis [values] ... }} */
    public record Matrix(List<Axis> axes, Span span) {
        public Matrix {
            axes = List.copyOf(axes);
        }
    }

    public record Axis(Ident name, List<Expr> values, Span span) {
        public Axis {
            values = List.copyOf(values);
        }
    }

    /** {@code service NAME IMAGE [{ env {...} ready CMD [retries N] [every D] }]} */
    public record Service(Ident name, Expr image, List<Program.Assignment> env, Ready ready, Span span) {
        public Service {
            env = env == null ? null : List.copyOf(env);
        }
    }

    public record Ready(Expr command, Expr.Num retries, Expr.Dur every, Span span) {
    }

    /** {@code deploy to ENV [version EXPR]} */
    public record Deploy(Ident environment, Expr version, Span span) {
    }

    /** {@code output NAME = EXPR} */
    public record Output(Ident name, Expr value, Span span) {
    }

    /** {@code verify [for D] [every D] { checks }} */
    public record Verify(Expr.Dur soak, Expr.Dur every, List<Check> checks, Span span) {
        public Verify {
            checks = List.copyOf(checks);
        }
    }

    public sealed interface Check {
        Span span();

        /**
         * {@code http URL [expect STATUS] [contains TEXT] [json "PATH" == VALUE]... [timeout D] [retries N] [every D]}
         */
        record Http(
                Expr url,
                Expr.Num expect,
                Expr contains,
                List<JsonAssert> json,
                Expr.Dur timeout,
                Expr.Num retries,
                Expr.Dur every,
                Span span) implements Check {
            public Http {
                json = List.copyOf(json);
            }
        }

        /** {@code check "NAME" { call [retries N] [every D] [timeout D] }} */
        record Command(
                Expr.Str name,
                StepItem.StepCall call,
                Expr.Num retries,
                Expr.Dur every,
                Expr.Dur timeout,
                Span span) implements Check {
        }
    }

    public record JsonAssert(Expr.Str path, Expr value, Span span) {
    }
}
