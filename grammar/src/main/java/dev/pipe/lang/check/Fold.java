package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.time.Durations;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Folds expressions whose value is known before any run: literals, event names written bare, and
 * operators over them. Anything that depends on the run folds to null (unknown).
 */
final class Fold {
    private final Model m;

    Fold(Model model) {
        this.m = model;
    }

    /** A Boolean, BigDecimal, String or Duration, or null when the value depends on the run. */
    Object constant(Expr e) {
        return switch (e) {
            case Expr.Bool b -> b.value();
            case Expr.Num n -> number(n);
            case Expr.Str s -> s.isConstant() ? s.constantText() : null;
            case Expr.Dur d -> duration(d);
            case Expr.Ref ref -> !m.vars.containsKey(ref.name()) && Model.EVENTS.contains(ref.name()) ? ref.name() : null;
            case Expr.Paren p -> constant(p.inner());
            case Expr.Not not -> constant(not.operand()) instanceof Boolean b ? !b : null;
            case Expr.Binary b -> binary(b);
            case Expr.ListLit ignored -> null;
            case Expr.Member ignored -> null;
            case Expr.Call ignored -> null;
        };
    }

    private Object binary(Expr.Binary b) {
        Object left = constant(b.left());
        Object right = constant(b.right());
        return switch (b.op()) {
            case AND -> Boolean.FALSE.equals(left) || Boolean.FALSE.equals(right) ? Boolean.FALSE
                    : Boolean.TRUE.equals(left) && Boolean.TRUE.equals(right) ? Boolean.TRUE : null;
            case OR -> Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right) ? Boolean.TRUE
                    : Boolean.FALSE.equals(left) && Boolean.FALSE.equals(right) ? Boolean.FALSE : null;
            case EQ, NE -> {
                if (left == null || right == null || left.getClass() != right.getClass()) {
                    yield null;
                }
                boolean same = left instanceof BigDecimal l ? l.compareTo((BigDecimal) right) == 0 : left.equals(right);
                yield b.op() == Expr.BinaryOp.EQ ? same : !same;
            }
            case LT, GT, LE, GE -> {
                int cmp;
                if (left instanceof BigDecimal l && right instanceof BigDecimal r) {
                    cmp = l.compareTo(r);
                } else if (left instanceof Duration l && right instanceof Duration r) {
                    cmp = l.compareTo(r);
                } else {
                    yield null;
                }
                yield switch (b.op()) {
                    case LT -> cmp < 0;
                    case GT -> cmp > 0;
                    case LE -> cmp <= 0;
                    default -> cmp >= 0;
                };
            }
            case COALESCE -> left;
            case MATCH -> null;
        };
    }

    private static BigDecimal number(Expr.Num n) {
        try {
            return n.value();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration duration(Expr.Dur d) {
        try {
            return Durations.parse(d.text());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
