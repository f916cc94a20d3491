package dev.pipe.stdlib.js;

import dev.pipe.lang.check.StepSignature;
import dev.pipe.lang.check.Type;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * A JavaScript step module as read: its source and the steps it declares. The module is an ES
 * module that exports {@code steps}, an object with one entry per step:
 *
 * <pre>
 * export const steps = {
 *   bump: {
 *     summary: "Works out the next semantic version.",
 *     params: {
 *       version: { type: "string", positional: true },
 *       part: { type: "string", default: "patch" },
 *     },
 *     outputs: ["version"],
 *     run(step) { ... },
 *   },
 * };
 * </pre>
 *
 * The declarations are read by evaluating the module in the sandbox, with the same limits a step
 * has, and nothing to call: its top level can only compute.
 *
 * @param shown the module's path as messages show it, such as {@code examples/js/steps/semver.js}
 * @param text the module's source text
 * @param steps the declared steps by name, in declaration order; empty when {@code error} is set
 * @param error why the module cannot be used, one sentence; null when it can
 */
record JsModule(String shown, String text, Map<String, Step> steps, String error) {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * A declared parameter.
     *
     * @param hasDefault whether the module gives a default, which makes the parameter optional
     */
    record Param(String name, Type type, boolean required, boolean positional, boolean hasDefault, String summary) {
    }

    /** A declared step: its parameters, outputs and what it is for. */
    record Step(String name, String summary, List<Param> params, List<String> outputs) {
        /** The step's signature, named without its module: the checker adds the name the pipeline gives the module. */
        StepSignature signature() {
            List<StepSignature.Param> ps = params.stream()
                    .map(p -> new StepSignature.Param(p.name(), p.type(), p.required(), p.positional(), p.summary()))
                    .toList();
            return new StepSignature(name, ps, outputs, summary);
        }
    }

    /** The source as GraalVM reads it: an ES module named after the file, so stacks name it. */
    Source source() {
        return Source.newBuilder("js", text, shown).mimeType("application/javascript+module").buildLiteral();
    }

    /** Reads the declarations of the module with source {@code text}, shown as {@code shown}. */
    static JsModule read(String shown, String text) throws InterruptedException {
        AtomicBoolean tooLong = new AtomicBoolean();
        JsModule loading = new JsModule(shown, text, Map.of(), null);
        Context context = JsSandbox.context(JsSandbox.Limits.DECLARE, OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), () -> tooLong.set(true));
        try {
            Map<String, Step> steps = JsSandbox.watch(context, JsSandbox.Limits.DECLARE, Long.MAX_VALUE, () -> false, () -> null,
                    () -> { }, () -> declarations(context.eval(loading.source())));
            return new JsModule(shown, text, steps, null);
        } catch (Invalid e) {
            return new JsModule(shown, text, Map.of(), e.getMessage());
        } catch (JsSandbox.Stopped e) {
            return new JsModule(shown, text, Map.of(), "its top level " + e.getMessage());
        } catch (PolyglotException e) {
            if (tooLong.get()) {
                return new JsModule(shown, text, Map.of(), "its top level ran more than "
                        + JsSandbox.Limits.DECLARE.statements() + " statements, the limit for JavaScript");
            }
            return new JsModule(shown, text, Map.of(), JsErrors.describe(e, shown));
        } finally {
            JsSandbox.cancel(context);
        }
    }

    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static Map<String, Step> declarations(Value exports) {
        Value steps = exports.getMember("steps");
        if (steps == null || steps.isNull() || !steps.hasMembers()) {
            throw new Invalid("it exports no `steps`; declare them as `export const steps = { name: { params: {...}, run(step) {...} } }`");
        }
        Map<String, Step> out = new LinkedHashMap<>();
        for (String name : steps.getMemberKeys()) {
            if (!NAME.matcher(name).matches()) {
                throw new Invalid("step `" + name + "` needs a name of lower-case letters, digits and _, such as `bump_version`");
            }
            out.put(name, step(name, steps.getMember(name)));
        }
        if (out.isEmpty()) {
            throw new Invalid("its `steps` declares no step");
        }
        return out;
    }

    private static Step step(String name, Value decl) {
        String where = "step `" + name + "`";
        if (decl == null || !decl.hasMembers()) {
            throw new Invalid(where + " must be an object with `params`, `outputs` and `run`");
        }
        Value run = decl.getMember("run");
        if (run == null || !run.canExecute()) {
            throw new Invalid(where + " has no `run` function");
        }
        String summary = text(decl.getMember("summary"), where + ": `summary`");
        List<Param> params = new ArrayList<>();
        Value ps = decl.getMember("params");
        if (ps != null && !ps.isNull()) {
            if (!ps.hasMembers() || ps.hasArrayElements()) {
                throw new Invalid(where + ": `params` must be an object such as { version: \"string\" }");
            }
            for (String p : ps.getMemberKeys()) {
                params.add(param(where, p, ps.getMember(p)));
            }
        }
        if (params.stream().filter(Param::positional).count() > 1) {
            throw new Invalid(where + " has more than one positional parameter");
        }
        List<String> outputs = new ArrayList<>();
        Value os = decl.getMember("outputs");
        if (os != null && !os.isNull()) {
            if (!os.hasArrayElements()) {
                throw new Invalid(where + ": `outputs` must be a list of names, such as [\"version\"]");
            }
            for (long i = 0; i < os.getArraySize(); i++) {
                Value o = os.getArrayElement(i);
                if (!o.isString() || !NAME.matcher(o.asString()).matches()) {
                    throw new Invalid(where + ": output " + o + " must be a name of lower-case letters, digits and _");
                }
                if (outputs.contains(o.asString())) {
                    throw new Invalid(where + " lists output `" + o.asString() + "` twice");
                }
                outputs.add(o.asString());
            }
        }
        return new Step(name, summary == null ? "" : summary, params, outputs);
    }

    private static Param param(String step, String name, Value decl) {
        String where = step + ", parameter `" + name + "`";
        if (!NAME.matcher(name).matches()) {
            throw new Invalid(where + ": a parameter needs a name of lower-case letters, digits and _");
        }
        // `version: "string"` is short for a required string.
        if (decl != null && decl.isString()) {
            return new Param(name, type(where, decl.asString()), true, false, false, "");
        }
        if (decl == null || !decl.hasMembers()) {
            throw new Invalid(where + " must be a type such as \"string\", or an object such as { type: \"string\" }");
        }
        Value t = decl.getMember("type");
        if (t == null || !t.isString()) {
            throw new Invalid(where + " has no `type`; give one of string, bool, number, duration, list");
        }
        Type type = type(where, t.asString());
        boolean positional = flag(decl.getMember("positional"), where + ": `positional`");
        boolean hasDefault = decl.hasMember("default");
        if (hasDefault) {
            checkDefault(where, type, decl.getMember("default"));
        }
        Value req = decl.getMember("required");
        boolean required = req == null || req.isNull() ? !hasDefault : flag(req, where + ": `required`");
        if (required && hasDefault) {
            throw new Invalid(where + " is required and has a default; a default makes it optional");
        }
        String summary = text(decl.getMember("summary"), where + ": `summary`");
        return new Param(name, type, required, positional, hasDefault, summary == null ? "" : summary);
    }

    private static Type type(String where, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "string" -> Type.STRING;
            case "bool", "boolean" -> Type.BOOL;
            case "number" -> Type.NUMBER;
            case "duration" -> Type.DURATION;
            case "list" -> Type.LIST;
            default -> throw new Invalid(where + " has type \"" + name + "\"; give one of string, bool, number, duration, list");
        };
    }

    private static void checkDefault(String where, Type type, Value v) {
        boolean fits = switch (type) {
            case STRING -> v.isString();
            case BOOL -> v.isBoolean();
            case NUMBER, DURATION -> v.isNumber();
            case LIST -> v.hasArrayElements();
            case ANY -> true;
        };
        if (!fits) {
            throw new Invalid(where + ": the default " + v + " is not " + type.article()
                    + (type == Type.DURATION ? " (a duration's default is a number of milliseconds)" : ""));
        }
    }

    private static boolean flag(Value v, String where) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new Invalid(where + " must be true or false");
        }
        return v.asBoolean();
    }

    private static String text(Value v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new Invalid(where + " must be a string");
        }
        return v.asString();
    }
}
