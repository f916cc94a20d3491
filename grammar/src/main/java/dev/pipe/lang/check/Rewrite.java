package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Span;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Copies a piece of the syntax tree, moving every span and letting a hook replace nodes.
 *
 * <p>The tree is made of records, lists, enums and plain values, so one generic copy covers
 * every construct, including ones added later, without a visitor to keep in step with the grammar.
 * Template expansion uses it to place a template's body in the pipeline (see {@link Regions}) and
 * to put arguments where the body says {@code params.NAME}.
 */
final class Rewrite {
    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    private final UnaryOperator<Span> spans;
    private final Function<Object, Object> hook;

    /**
     * @param spans moves a span
     * @param hook returns a replacement for a node (used as is, not copied further), or null to copy it
     */
    Rewrite(UnaryOperator<Span> spans, Function<Object, Object> hook) {
        this.spans = spans;
        this.hook = hook;
    }

    @SuppressWarnings("unchecked")
    <T> T copy(T node) {
        return (T) map(node);
    }

    private Object map(Object node) {
        if (node == null) {
            return null;
        }
        if (node instanceof Span span) {
            return spans.apply(span);
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(map(item));
            }
            return out;
        }
        if (!(node instanceof Record record)) {
            return node;
        }
        Object replaced = hook.apply(node);
        if (replaced != null) {
            return replaced;
        }
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = map(components[i].getAccessor().invoke(record));
            }
            return constructor(record.getClass()).newInstance(values);
        } catch (IllegalAccessException | InstantiationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getName(), e.getCause());
        }
    }

    private static Constructor<?> constructor(Class<?> type) {
        return CONSTRUCTORS.computeIfAbsent(type, t -> {
            RecordComponent[] components = t.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
            }
            try {
                return t.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("no canonical constructor in " + t.getName(), e);
            }
        });
    }
}
