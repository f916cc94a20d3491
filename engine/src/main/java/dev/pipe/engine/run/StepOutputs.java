package dev.pipe.engine.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the file a step writes its outputs to ($PIPE_OUTPUT): one {@code name=value} per line,
 * or a multi-line value between {@code name<<DELIMITER} and a line holding only the delimiter.
 * A later line for the same name wins. Blank lines are ignored.
 */
public final class StepOutputs {
    private StepOutputs() {
    }

    /** A malformed outputs file; the message names the line. */
    public static final class OutputException extends RuntimeException {
        public OutputException(String message) {
            super(message);
        }
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int heredoc = line.indexOf("<<");
            int eq = line.indexOf('=');
            if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                String name = name(line.substring(0, heredoc), i);
                String delimiter = line.substring(heredoc + 2).strip();
                if (delimiter.isEmpty()) {
                    throw new OutputException("line " + (i + 1) + " of $PIPE_OUTPUT: `" + name + "<<` needs a delimiter, such as "
                            + name + "<<EOF");
                }
                StringBuilder value = new StringBuilder();
                int start = i;
                boolean closed = false;
                while (++i < lines.size()) {
                    if (lines.get(i).equals(delimiter)) {
                        closed = true;
                        break;
                    }
                    if (!value.isEmpty()) {
                        value.append('\n');
                    }
                    value.append(lines.get(i));
                }
                if (!closed) {
                    throw new OutputException("line " + (start + 1) + " of $PIPE_OUTPUT: the value of `" + name
                            + "` is never closed by a line `" + delimiter + "`");
                }
                out.put(name, value.toString());
            } else if (eq > 0) {
                out.put(name(line.substring(0, eq), i), line.substring(eq + 1));
            } else {
                throw new OutputException("line " + (i + 1) + " of $PIPE_OUTPUT is not `name=value` or `name<<DELIMITER`");
            }
        }
        return out;
    }

    private static String name(String raw, int line) {
        String name = raw.strip();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw new OutputException("line " + (line + 1) + " of $PIPE_OUTPUT: `" + name
                    + "` is not an output name (letters, digits, _ and -, not starting with a digit)");
        }
        return name;
    }
}
