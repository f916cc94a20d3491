package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Expr;
import java.util.List;
import java.util.function.Consumer;

/** Visits every name an expression refers to, as dotted paths such as [inputs, tag]. */
final class Walk {
    private Walk() {
    }

    static void paths(Expr e, Consumer<List<String>> visit) {
        if (e == null) {
            return;
        }
        switch (e) {
            case Expr.Ref ignored -> visit.accept(Expr.path(e));
            case Expr.Member member -> {
                List<String> path = Expr.path(member);
                if (path != null) {
                    visit.accept(path);
                } else {
                    paths(member.target(), visit);
                }
            }
            case Expr.Str str -> {
                for (Expr.StrPart part : str.parts()) {
                    if (part instanceof Expr.StrPart.Interp interp) {
                        paths(interp.expr(), visit);
                    }
                }
            }
            case Expr.ListLit list -> list.items().forEach(item -> paths(item, visit));
            case Expr.Call call -> call.args().forEach(arg -> paths(arg, visit));
            case Expr.Not not -> paths(not.operand(), visit);
            case Expr.Binary b -> {
                paths(b.left(), visit);
                paths(b.right(), visit);
            }
            case Expr.Paren p -> paths(p.inner(), visit);
            case Expr.Num ignored -> {
            }
            case Expr.Dur ignored -> {
            }
            case Expr.Bool ignored -> {
            }
        }
    }
}
