package dev.pipe.engine.eval;

import dev.pipe.lang.parse.ParseResult;
import dev.pipe.lang.parse.SourceParser;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.SourceFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: parse one expression; a scope from a map of dotted names. */
final class Exprs {
    private Exprs() {
    }

    static Expr parse(String expr) {
        ParseResult r = SourceParser.parse(new SourceFile("expr.pipe",
                "pipeline t\nstage s {\n  when " + expr + "\n  step \"x\" { sh \"y\" }\n}\n"));
        if (!r.ok()) {
            throw new IllegalArgumentException("`" + expr + "` does not parse: " + r.diagnostics());
        }
        return r.program().stages().get(0).when();
    }

    /** Names not in the map are unknown, with reason "NAME is not known in this test". */
    static Scope scope(Map<String, Result> names) {
        Map<String, Result> copy = new HashMap<>(names);
        return (List<String> path) -> {
            String key = String.join(".", path);
            Result r = copy.get(key);
            return r != null ? r : new Result.Unknown(key + " is not known in this test", null);
        };
    }
}
