package dev.pipe.lang.gen;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;

/** Names where two syntax trees first differ, for failure messages: trees print too long to compare by eye. */
public final class TreeDiff {
    private TreeDiff() {
    }

    /** {@code program.stages[0].when: expected X but was Y}, or null when the trees are equal. */
    public static String first(Object expected, Object actual) {
        return first(expected, actual, "program");
    }

    private static String first(Object a, Object b, String path) {
        if (Objects.equals(a, b)) {
            return null;
        }
        if (a instanceof Record && b != null && a.getClass() == b.getClass()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    String d = first(c.getAccessor().invoke(a), c.getAccessor().invoke(b), path + "." + c.getName());
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
            for (int i = 0; i < la.size(); i++) {
                String d = first(la.get(i), lb.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
        }
        return path + ": expected " + a + " but was " + b;
    }
}
