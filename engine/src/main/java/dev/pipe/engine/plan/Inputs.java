package dev.pipe.engine.plan;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.Value;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Trigger;
import dev.pipe.lang.time.Durations;
import dev.pipe.lang.time.TimeSyntaxException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code --input name=value} against the inputs declared by {@code on manual} and converts
 * the values to their types. A manual run sees each input given or defaulted; other events see
 * no inputs at all, so {@code inputs.x ?? fallback} takes the fallback.
 */
final class Inputs {
    /**
     * @param values what {@code inputs.NAME} evaluates to; an input not in the map is unset
     * @param missing required inputs (no default) a manual run did not get
     * @param notes facts for the plan's notes
     */
    record Bound(Map<String, Result> values, List<String> missing, List<String> notes) {
    }

    private Inputs() {
    }

    static Map<String, Trigger.InputDecl> declared(Program program) {
        Map<String, Trigger.InputDecl> out = new LinkedHashMap<>();
        for (Trigger t : program.triggers()) {
            if (t instanceof Trigger.Manual m) {
                for (Trigger.InputDecl d : m.inputs()) {
                    out.putIfAbsent(d.name().name(), d);
                }
            }
        }
        return out;
    }

    /** @throws PlanException for an input name that is not declared or a value of the wrong type */
    static Bound bind(Program program, EventContext ctx) {
        Map<String, Trigger.InputDecl> declared = declared(program);
        Map<String, Result> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : ctx.inputs().entrySet()) {
            Trigger.InputDecl decl = declared.get(e.getKey());
            if (decl == null) {
                throw unknownInput(e.getKey(), e.getValue(), declared.keySet());
            }
            given.put(e.getKey(), Result.of(convert(decl, e.getValue())));
        }
        List<String> notes = new ArrayList<>();
        if (ctx.kind() != EventKind.MANUAL) {
            if (!given.isEmpty()) {
                notes.add("the inputs given are ignored: only a manual run has inputs (pass --event manual)");
            }
            return new Bound(Map.of(), List.of(), notes);
        }
        Map<String, Result> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        Evaluator constants = new Evaluator(path -> new Result.Unknown(
                "an input's default cannot read `" + String.join(".", path) + "`", null));
        for (Trigger.InputDecl decl : declared.values()) {
            String name = decl.name().name();
            if (given.containsKey(name)) {
                values.put(name, given.get(name));
            } else if (decl.defaultValue() != null) {
                values.put(name, constants.evaluate(decl.defaultValue()));
            } else {
                missing.add(name);
            }
        }
        return new Bound(values, missing, notes);
    }

    private static PlanException unknownInput(String name, String value, java.util.Collection<String> declared) {
        if (declared.isEmpty()) {
            return new PlanException("this pipeline declares no inputs, so `--input " + name + "=" + value
                    + "` cannot be used; inputs are declared in `on manual { input NAME: TYPE }`.");
        }
        return new PlanException("`" + name + "` is not an input of this pipeline" + Suggest.didYouMean(name, declared)
                + " The inputs are " + String.join(", ", declared) + ".");
    }

    private static Value convert(Trigger.InputDecl decl, String value) {
        String name = decl.name().name();
        String given = "`--input " + name + "=" + value + "`";
        return switch (decl.type().kind()) {
            case STRING -> new Value.Str(value);
            // The checker refuses list inputs; a list is a template parameter's type only.
            case LIST -> throw new PlanException("input `" + name + "` is a list, which inputs cannot be.");
            case BOOL -> switch (value) {
                case "true" -> Value.Bool.TRUE;
                case "false" -> Value.Bool.FALSE;
                default -> throw new PlanException("input `" + name + "` is a bool, so " + given
                        + " must be true or false.");
            };
            case NUMBER -> {
                try {
                    yield new Value.Num(new BigDecimal(value));
                } catch (NumberFormatException ex) {
                    throw new PlanException("input `" + name + "` is a number, so " + given
                            + " must be a number such as 3 or 2.5.");
                }
            }
            case DURATION -> {
                try {
                    yield new Value.Dur(Durations.parse(value));
                } catch (TimeSyntaxException ex) {
                    throw new PlanException("input `" + name + "` is a duration, so " + given
                            + " must be a duration such as 90s, 10m or 1h30m: " + ex.getMessage());
                }
            }
            case CHOICE -> {
                List<String> choices = decl.type().choices().stream().map(s -> s.constantText()).toList();
                if (!choices.contains(value)) {
                    String hint = Suggest.closest(value, choices).map(c -> " Did you mean `" + c + "`?").orElse("");
                    throw new PlanException("input `" + name + "` is one of " + String.join(", ", choices) + ", so "
                            + given + " is not allowed." + hint);
                }
                yield new Value.Str(value);
            }
        };
    }
}
