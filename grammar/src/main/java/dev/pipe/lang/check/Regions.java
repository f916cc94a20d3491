package dev.pipe.lang.check;

import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each piece of an expanded pipeline was written.
 *
 * <p>Spans are offsets into one file, but an expanded stage mixes text from the pipeline (its
 * name, the arguments) with text from a module (the template's body). Every expansion of a
 * template therefore gets its own range of offsets past the end of the pipeline's text, and the
 * body's spans are moved into that range. The checker then works on one tree as before, and a
 * finding inside a range is reported in the module's file at the module's line and column, with
 * a note of which expansion it came from.
 */
final class Regions {
    /**
     * One expansion: offsets {@code base .. base + source length} belong to {@code source}.
     *
     * @param note which use made it, such as "template `node.ci` used at shop.pipe:12:17 by stage `test`"
     * @param depth how many expansions it is inside
     * @param outermost the note of the expansion in the pipeline's own text that led to this one
     */
    record Region(int base, SourceFile source, String note, int depth, String outermost) {
        boolean contains(int offset) {
            return offset >= base && offset <= base + source.text().length();
        }
    }

    private final SourceFile main;
    private final List<Region> regions = new ArrayList<>();
    private int next;

    Regions(SourceFile main) {
        this.main = main;
        this.next = main.text().length() + 1;
    }

    /**
     * Reserves a range for one expansion of a body written in {@code source}.
     *
     * @param use what made it, such as "template `x` used at file:3:7"
     * @param outer the expansion the use is written in, or null in the pipeline's own text
     * @param stage the stage it ends up in, or null when the note says all
     */
    Region add(SourceFile source, String use, Region outer, String stage) {
        String note;
        if (outer == null) {
            note = stage == null ? use : use + " by stage `" + stage + "`";
        } else if (outer.depth() < 2) {
            note = use + ", inside " + outer.note();
        } else {
            // Deep nesting: the use, the one that made it, and the one in the pipeline.
            note = use + ", inside " + outer.note().substring(0, outer.note().indexOf(", inside ")) + ", … inside "
                    + outer.outermost();
        }
        Region region = new Region(next, source, note, outer == null ? 0 : outer.depth() + 1,
                outer == null ? note : outer.outermost());
        regions.add(region);
        next += source.text().length() + 1;
        return region;
    }

    /** The expansion an offset lies in, or null when it is in the pipeline's own text. */
    Region find(int offset) {
        if (offset <= main.text().length()) {
            return null;
        }
        int lo = 0;
        int hi = regions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Region r = regions.get(mid);
            if (offset < r.base()) {
                hi = mid - 1;
            } else if (offset > r.base() + r.source().text().length()) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return regions.isEmpty();
    }

    SourceFile source(Span span) {
        Region r = find(span.start());
        return r == null ? main : r.source();
    }

    /** The span in the coordinates of the file it was written in. */
    Span local(Span span) {
        Region r = find(span.start());
        if (r == null) {
            return span;
        }
        int length = r.source().text().length();
        int start = Math.min(span.start() - r.base(), length);
        int end = Math.max(start, Math.min(span.end() - r.base(), length));
        return new Span(start, end);
    }

    /** {@code file:line:col} of an offset, in whichever file it was written. */
    String location(int offset) {
        Region r = find(offset);
        return r == null ? main.location(offset) : r.source().location(offset - r.base());
    }

    /** 1-based line of a span in its own file. */
    int line(Span span) {
        return source(span).line(local(span).start());
    }
}
