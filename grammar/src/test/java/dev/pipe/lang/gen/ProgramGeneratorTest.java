package dev.pipe.lang.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.syntax.Block;
import dev.pipe.lang.syntax.Environment;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Ident;
import dev.pipe.lang.syntax.Program;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.syntax.StepItem;
import dev.pipe.lang.syntax.Template;
import dev.pipe.lang.syntax.Trigger;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The generator reaches every node type, every operator and kind, and names that are keywords. */
class ProgramGeneratorTest {
    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private final Set<Object> seen = new HashSet<>();
    private final Set<String> names = new HashSet<>();

    @Test
    void coversEveryConstructOfTheLanguage() {
        for (int i = 0; i < 300; i++) {
            walk(new ProgramGenerator(new Random(i)).program());
        }
        List<Class<?>> types = new ArrayList<>(List.of(Program.class, Program.Import.class, Program.Vars.class,
                Program.Assignment.class, Program.Secrets.class, Program.Hook.class, Block.class, Ident.class,
                Environment.class, Environment.Approval.class, Environment.Window.class, Environment.Freeze.class,
                Stage.class, Stage.Needs.class, Stage.Matrix.class, Stage.Axis.class, Stage.Service.class,
                Stage.Ready.class, Stage.Deploy.class, Stage.Output.class, Stage.Verify.class, Stage.JsonAssert.class,
                Stage.From.class, Stage.Use.class, Template.class, Template.Param.class,
                Trigger.Filter.class, Trigger.InputDecl.class, Trigger.InputType.class, StepItem.NamedArg.class,
                Expr.StrPart.Text.class, Expr.StrPart.Interp.class));
        for (Class<?> sealed : List.of(Expr.class, Trigger.class, Stage.Runner.class, Stage.Check.class, StepItem.class)) {
            types.addAll(List.of(sealed.getPermittedSubclasses()));
        }
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : types) {
            if (!seen.contains(type)) {
                missing.add(type.getName());
            }
        }
        for (Class<?> kind : List.of(Expr.BinaryOp.class, Trigger.FilterKind.class, Trigger.InputKind.class,
                Program.HookKind.class, Environment.OutsideAction.class, Template.Kind.class)) {
            for (Object constant : kind.getEnumConstants()) {
                if (!seen.contains(constant)) {
                    missing.add(kind.getSimpleName() + "." + constant);
                }
            }
        }
        assertEquals(Set.of(), missing, "never generated");
        assertTrue(seen.contains("triple") && seen.contains("plain"), "both kinds of string literal");
        assertTrue(names.containsAll(ExprGenerator.KEYWORDS), "every keyword used as a name");
    }

    private void walk(Object node) {
        switch (node) {
            case null -> {
            }
            case List<?> list -> list.forEach(this::walk);
            case Enum<?> e -> seen.add(e);
            case Ident id -> {
                seen.add(Ident.class);
                names.add(id.name());
            }
            case Expr.Ref ref -> {
                seen.add(Expr.Ref.class);
                names.add(ref.name());
            }
            case Record r -> {
                seen.add(r.getClass());
                if (r instanceof Expr.Str s) {
                    seen.add(s.triple() ? "triple" : "plain");
                }
                for (RecordComponent c : COMPONENTS.get(r.getClass())) {
                    try {
                        walk(c.getAccessor().invoke(r));
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            default -> {
            }
        }
    }
}
