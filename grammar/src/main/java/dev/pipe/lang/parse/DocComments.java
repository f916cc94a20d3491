package dev.pipe.lang.parse;

import dev.pipe.lang.syntax.Comment;
import dev.pipe.lang.syntax.SourceFile;
import dev.pipe.lang.syntax.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Doc comments: lines starting with {@code ///} right above a template or a parameter, with no
 * blank line between. A module's own doc is the first run of {@code ///} lines in the file when
 * a blank line separates it from what follows. They are ordinary comments to the parser and the
 * formatter (which keeps them where they are); only the docs generator reads them.
 */
public final class DocComments {
    private static final String MARK = "///";

    private final SourceFile source;
    private final List<Comment> comments;

    public DocComments(ParseResult parsed) {
        this.source = parsed.source();
        this.comments = parsed.comments();
    }

    /** The doc of the item starting at {@code item}, lines joined by newlines; "" when it has none. */
    public String above(Span item) {
        int line = source.line(item.start());
        List<String> lines = new ArrayList<>();
        for (int i = comments.size() - 1; i >= 0; i--) {
            Comment c = comments.get(i);
            if (c.span().start() >= item.start()) {
                continue;
            }
            if (!isDoc(c) || source.line(c.span().start()) != line - 1) {
                break;
            }
            lines.addFirst(text(c));
            line--;
        }
        return String.join("\n", lines);
    }

    /** The module's doc: the first {@code ///} lines of the file, when a blank line follows them. */
    public String module() {
        List<String> lines = new ArrayList<>();
        int line = 0;
        for (Comment c : comments) {
            int at = source.line(c.span().start());
            if (!isDoc(c) || (line != 0 && at != line + 1) || !source.lineText(at).strip().startsWith(MARK)) {
                break;
            }
            lines.add(text(c));
            line = at;
        }
        if (lines.isEmpty() || line >= source.lineCount() || !source.lineText(line + 1).isBlank()) {
            return "";
        }
        return String.join("\n", lines);
    }

    private static boolean isDoc(Comment c) {
        return !c.block() && c.text().startsWith(MARK) && !c.text().startsWith(MARK + "/");
    }

    private static String text(Comment c) {
        String t = c.text().substring(MARK.length());
        return t.startsWith(" ") ? t.substring(1) : t;
    }
}
