package dev.pipe.engine.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a dotenv file: {@code NAME=value} or {@code export NAME=value} per line, {@code #}
 * comments and blank lines, values bare, in single quotes (taken literally) or in double quotes
 * (with {@code \n \t \r \" \\ \$} escapes; any other backslash stays as written). Quoted values
 * may span lines. A bare value ends at the end of the line or at a {@code #} preceded by a space.
 * There is no {@code $VAR} expansion. Errors name the file and line and never show the line's
 * text: a mistyped line may hold a secret.
 */
final class Dotenv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    record Entry(String name, String value, int line) {
    }

    private final String text;
    private final String file;
    private int at;
    private int line = 1;

    private Dotenv(String text, String file) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.text = t.replace("\r\n", "\n");
        this.file = file;
    }

    /** Every assignment in file order; a name may appear more than once (the last one wins). */
    static List<Entry> parse(String text, String file) {
        return new Dotenv(text, file).entries();
    }

    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    private List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        while (at < text.length()) {
            skipBlanks();
            if (at >= text.length()) {
                break;
            }
            char c = text.charAt(at);
            if (c == '\n') {
                newline();
            } else if (c == '#') {
                skipToEndOfLine();
            } else {
                out.add(assignment());
            }
        }
        return out;
    }

    private Entry assignment() {
        int start = line;
        if (text.startsWith("export", at) && at + 6 < text.length() && isBlank(text.charAt(at + 6))) {
            at += 6;
            skipBlanks();
        }
        int eol = endOfLine();
        int eq = text.indexOf('=', at);
        if (eq < 0 || eq > eol) {
            throw error(start, "expected NAME=value (the line is not shown, as it may hold a secret)");
        }
        String name = text.substring(at, eq).strip();
        if (!isName(name)) {
            throw error(start, "the text before `=` is not a secret name: use letters, digits, _ and -, starting with a"
                    + " letter or _ (the line is not shown, as it may hold a secret)");
        }
        at = eq + 1;
        skipBlanks();
        char open = at < text.length() ? text.charAt(at) : '\n';
        String value = open == '"' || open == '\'' ? quoted(name, open) : bare();
        if (at < text.length()) {
            newline();
        }
        return new Entry(name, value, start);
    }

    private String bare() {
        int eol = endOfLine();
        int end = eol;
        for (int i = at; i < eol; i++) {
            if (text.charAt(i) == '#' && i > at && isBlank(text.charAt(i - 1))) {
                end = i;
                break;
            }
        }
        String value = text.substring(at, end).strip();
        at = eol;
        return value;
    }

    private String quoted(String name, char quote) {
        int start = line;
        at++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error(start, "the value of " + name + " opens a " + quote + " quote that is never closed");
            }
            char c = text.charAt(at);
            if (c == quote) {
                at++;
                break;
            }
            if (c == '\\' && quote == '"' && at + 1 < text.length()) {
                char next = text.charAt(at + 1);
                switch (next) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '"', '\\', '$' -> value.append(next);
                    default -> value.append(c).append(next);
                }
                if (next == '\n') {
                    line++;
                }
                at += 2;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            value.append(c);
            at++;
        }
        skipBlanks();
        if (at < text.length() && text.charAt(at) == '#') {
            skipToEndOfLine();
        } else if (at < text.length() && text.charAt(at) != '\n') {
            throw error(line, "unexpected text after the closing " + quote + " of " + name
                    + "'s value (only a # comment may follow it)");
        }
        return value.toString();
    }

    private SecretException error(int lineNumber, String message) {
        return new SecretException(file + ":" + lineNumber + ": " + message);
    }

    private int endOfLine() {
        int eol = text.indexOf('\n', at);
        return eol < 0 ? text.length() : eol;
    }

    private void skipToEndOfLine() {
        at = endOfLine();
    }

    private void newline() {
        at++;
        line++;
    }

    private void skipBlanks() {
        while (at < text.length() && isBlank(text.charAt(at))) {
            at++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\r';
    }
}
