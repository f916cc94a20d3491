package dev.pipe.stdlib.release;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A commit message in the Conventional Commits form: {@code type(scope)!: description}, with an
 * optional body and footers. A {@code !} before the colon or a {@code BREAKING CHANGE:} (or
 * {@code BREAKING-CHANGE:}) footer marks a breaking change; the footer's text, when there is one,
 * says what breaks.
 *
 * @param scope null when the header names none
 * @param breakingNote the text of the {@code BREAKING CHANGE} footer, or null
 */
public record ConventionalCommit(String sha, String type, String scope, boolean breaking, String description,
        String breakingNote) {
    private static final Pattern HEADER = Pattern.compile("([A-Za-z]+)(?:\\(([^()\\r\\n]*)\\))?(!)?: +(\\S.*)");
    private static final Pattern FOOTER = Pattern.compile("(?m)^BREAKING[ -]CHANGE: *(.*(?:\\n(?!\\S+(?:: | #)).+)*)");

    /** The commit's conventional form, or empty when its first line is not one ("Merge branch ...", "wip"). */
    public static Optional<ConventionalCommit> parse(String sha, String message) {
        String text = message.replace("\r\n", "\n").strip();
        int nl = text.indexOf('\n');
        String header = nl < 0 ? text : text.substring(0, nl);
        Matcher m = HEADER.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String body = nl < 0 ? "" : text.substring(nl + 1);
        Matcher f = FOOTER.matcher(body);
        String note = f.find() ? f.group(1).strip().replaceAll("\\s*\\n\\s*", " ") : null;
        String scope = m.group(2) == null || m.group(2).isBlank() ? null : m.group(2).strip();
        return Optional.of(new ConventionalCommit(sha, m.group(1).toLowerCase(Locale.ROOT), scope,
                m.group(3) != null || note != null, m.group(4).strip(), note == null || note.isEmpty() ? null : note));
    }

    /** How far this commit alone moves the version: breaking → major, feat → minor, fix → patch. */
    public Semver.Bump bump() {
        if (breaking) {
            return Semver.Bump.MAJOR;
        }
        return switch (type) {
            case "feat" -> Semver.Bump.MINOR;
            case "fix" -> Semver.Bump.PATCH;
            default -> Semver.Bump.NONE;
        };
    }
}
