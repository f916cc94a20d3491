package dev.pipe.lang.syntax;

import java.util.List;
import java.util.Locale;

/** {@code on push|pull_request|manual|schedule ...}: the events that start a run. */
public sealed interface Trigger {
    Span span();

    /** {@code on push [branches [...]] [tags [...]] [paths [...]] [paths_ignore [...]]} */
    record Push(List<Filter> filters, Span span) implements Trigger {
        public Push {
            filters = List.copyOf(filters);
        }
    }

    /** {@code on pull_request [branches [...]] [paths [...]] [paths_ignore [...]]}; branches are target branches. */
    record PullRequest(List<Filter> filters, Span span) implements Trigger {
        public PullRequest {
            filters = List.copyOf(filters);
        }
    }

    /** {@code on manual { input NAME: TYPE [= default] ... }} */
    record Manual(List<InputDecl> inputs, Span span) implements Trigger {
        public Manual {
            inputs = List.copyOf(inputs);
        }
    }

    /** {@code on schedule "CRON" [tz "Zone/Id"]} */
    record Schedule(Expr.Str cron, Expr.Str tz, Span span) implements Trigger {
    }

    record Filter(FilterKind kind, List<Expr.Str> patterns, Span span) {
        public Filter {
            patterns = List.copyOf(patterns);
        }
    }

    enum FilterKind {
        BRANCHES, TAGS, PATHS, PATHS_IGNORE;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record InputDecl(Ident name, InputType type, Expr defaultValue, Span span) {
    }

    /** An input's type; {@code choices} only for {@code choice(...)}. */
    record InputType(InputKind kind, List<Expr.Str> choices, Span span) {
        public InputType {
            choices = List.copyOf(choices);
        }
    }

    enum InputKind {
        STRING, BOOL, NUMBER, DURATION, LIST, CHOICE;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
