package dev.pipe.stdlib.release;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as release tags spell it: {@code v1.2.3} or {@code 1.2.3}, with an optional
 * pre-release ({@code -rc.1}) and build metadata ({@code +build.5}), which the ordering ignores
 * apart from a pre-release sorting before its release.
 *
 * @param prefix {@code "v"} or {@code ""}, kept so that the next tag is spelled like the last
 * @param pre the pre-release part without its dash, or null
 */
public record Semver(String prefix, int major, int minor, int patch, String pre) implements Comparable<Semver> {
    private static final Pattern FORM = Pattern.compile(
            "(v?)(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

    public static final Semver ZERO = new Semver("v", 0, 0, 0, null);

    /** The version a tag names, or empty when the tag is not a semantic version. */
    public static Optional<Semver> parse(String tag) {
        Matcher m = FORM.matcher(tag);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Semver(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), m.group(5)));
    }

    /** Whether this is a release, not a pre-release such as {@code 1.2.0-rc.1}. */
    public boolean release() {
        return pre == null;
    }

    public Semver bump(Bump bump) {
        return switch (bump) {
            case MAJOR -> new Semver(prefix, major + 1, 0, 0, null);
            case MINOR -> new Semver(prefix, major, minor + 1, 0, null);
            case PATCH -> new Semver(prefix, major, minor, patch + 1, null);
            case NONE -> this;
        };
    }

    /** {@code 1.2.3}, without the prefix. */
    public String number() {
        return major + "." + minor + "." + patch + (pre == null ? "" : "-" + pre);
    }

    /** {@code v1.2.3}, as a tag. */
    public String tag() {
        return prefix + number();
    }

    @Override
    public int compareTo(Semver o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, o.patch);
        }
        if (c == 0 && (pre == null) != (o.pre == null)) {
            c = pre == null ? 1 : -1;
        }
        if (c == 0 && pre != null) {
            c = pre.compareTo(o.pre);
        }
        return c;
    }

    @Override
    public String toString() {
        return tag();
    }

    /** How far a release moves the version. */
    public enum Bump {
        NONE, PATCH, MINOR, MAJOR;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public Bump max(Bump other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }
}
