package dev.pipe.lang.syntax;

import java.util.List;

/** A step: either named with options, or a bare call inside a block. */
public sealed interface StepItem {
    Span span();

    /** The call this step makes. */
    StepCall call();

    /** {@code step "NAME" { call [retry N [backoff D]] [timeout D] [env {...}] [when EXPR] [allow_failure] }} */
    record Step(
            Expr.Str name,
            StepCall call,
            Expr.Num retry,
            Expr.Dur backoff,
            Expr.Dur timeout,
            List<Program.Assignment> env,
            Expr when,
            boolean allowFailure,
            Span span) implements StepItem {
        public Step {
            env = env == null ? null : List.copyOf(env);
        }
    }

    /**
     * {@code name [positional] [arg: value]...} such as {@code sh "make"} or
     * {@code docker.build tag: image context: "."}.
     */
    record StepCall(Ident function, Expr positional, List<NamedArg> args, Span span) implements StepItem {
        public StepCall {
            args = List.copyOf(args);
        }

        @Override
        public StepCall call() {
            return this;
        }
    }

    record NamedArg(Ident name, Expr value, Span span) {
    }
}
