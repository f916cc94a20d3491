package dev.pipe.lang.check;

import dev.pipe.lang.diag.Code;
import dev.pipe.lang.syntax.Expr;
import dev.pipe.lang.syntax.Span;
import dev.pipe.lang.time.Cron;
import dev.pipe.lang.time.Durations;
import dev.pipe.lang.time.FreezePeriod;
import dev.pipe.lang.time.TimeSyntaxException;
import dev.pipe.lang.time.Window;
import dev.pipe.lang.time.WindowSpec;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Literal values that must make sense on their own: durations, counts, HTTP statuses, cron
 * expressions, window specs, time zones and freeze dates. Errors from the time library keep its
 * wording; their offsets move the carets onto the bad part of the literal.
 */
final class Values {
    private Values() {
    }

    /** Parses a duration literal, reporting E401 under the bad part; null when absent or invalid. */
    static Duration duration(Report r, Expr.Dur d) {
        if (d == null) {
            return null;
        }
        if (!d.text().isEmpty() && Character.isLetter(d.text().charAt(0)) || d.text().startsWith("_")) {
            // `timeout params.NAME` outside a template: inside one, expansion has put the argument here.
            r.add(Code.UNKNOWN_REFERENCE, d.span(), d.text())
                    .hint(d.text().startsWith("params.") ? "`params` is only known inside a template" : "write a duration such as 10m");
            return null;
        }
        try {
            return Durations.parse(d.text());
        } catch (TimeSyntaxException e) {
            r.add(Code.INVALID_DURATION, inner(d.span(), 0, d.text().length(), e), e.getMessage());
            return null;
        }
    }

    /** A duration that must be above zero: a timeout, an interval, an expiry. */
    static void positive(Report r, Expr.Dur d, String what) {
        Duration value = duration(r, d);
        if (value != null && value.isZero()) {
            r.add(Code.INVALID_VALUE, d.span(), what + " of " + d.text() + " makes no sense: give it a length such as 30s");
        }
    }

    /** A retry or retries count: a whole number, zero or more. */
    static void count(Report r, Expr.Num n, String what) {
        if (n != null && !whole(n)) {
            r.add(Code.INVALID_VALUE, n.span(), what + " must be a whole number such as 3, not " + n.text());
        }
    }

    static boolean whole(Expr.Num n) {
        try {
            BigDecimal v = n.value();
            return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether a count is zero, so that settings that only matter on a retry have no effect. */
    static boolean zero(Expr.Num n) {
        return n != null && whole(n) && n.value().signum() == 0;
    }

    /** {@code expect STATUS}: a three-digit HTTP status. */
    static void status(Report r, Expr.Num n) {
        if (n == null) {
            return;
        }
        boolean ok = whole(n) && n.value().compareTo(BigDecimal.valueOf(100)) >= 0
                && n.value().compareTo(BigDecimal.valueOf(599)) <= 0;
        if (!ok) {
            r.add(Code.INVALID_VALUE, n.span(), "`" + n.text() + "` is not an HTTP status: use a three-digit code such as 200");
        }
    }

    /** The text of a string that must be written without interpolation, or null (reported) when it has some. */
    static String constant(Report r, Expr.Str s, String what) {
        if (s == null) {
            return null;
        }
        if (!s.isConstant()) {
            r.add(Code.INVALID_VALUE, s.span(), what + " must be plain text, without ${...}")
                    .hint("pipe reads it before the run starts, when no values are known yet");
            return null;
        }
        return s.constantText();
    }

    static void cron(Report r, Expr.Str s) {
        String text = constant(r, s, "a cron schedule");
        if (text == null) {
            return;
        }
        try {
            Cron.parse(text);
        } catch (TimeSyntaxException e) {
            r.add(Code.INVALID_CRON, inner(s, e), e.getMessage());
        }
    }

    static void window(Report r, Expr.Str s) {
        String text = constant(r, s, "a window");
        if (text == null) {
            return;
        }
        try {
            WindowSpec.parse(text);
        } catch (TimeSyntaxException e) {
            r.add(Code.INVALID_WINDOW, inner(s, e), e.getMessage())
                    .hint("a window is days and hours, such as \"Mon-Fri 09:00-17:00\" or \"Tue,Thu 10:00-14:00; Sat\"");
        }
    }

    static void zone(Report r, Expr.Str s) {
        String text = constant(r, s, "a time zone");
        if (text == null) {
            return;
        }
        try {
            Window.zone(text);
        } catch (TimeSyntaxException e) {
            r.add(Code.UNKNOWN_TIME_ZONE, inner(s, e), e.getMessage());
        }
    }

    /** A freeze date or range; a bad date is blamed on its own string, a backwards range on both. */
    static void freeze(Report r, Expr.Str from, Expr.Str to, Span whole) {
        String start = constant(r, from, "a freeze date");
        String end = to == null ? null : constant(r, to, "a freeze date");
        if (start == null || (to != null && end == null)) {
            return;
        }
        if (!date(r, from, start) || (to != null && !date(r, to, end))) {
            return;
        }
        try {
            FreezePeriod.parse(start, end);
        } catch (TimeSyntaxException e) {
            r.add(Code.INVALID_DATE, whole, e.getMessage());
        }
    }

    private static boolean date(Report r, Expr.Str s, String text) {
        try {
            FreezePeriod.parse(text, null);
            return true;
        } catch (TimeSyntaxException e) {
            r.add(Code.INVALID_DATE, s.span(), e.getMessage());
            return false;
        }
    }

    /** The part of a string literal an error points at, shifted past the opening quotes. */
    static Span inner(Expr.Str s, TimeSyntaxException e) {
        int quote = s.triple() ? 3 : 1;
        Span span = s.span();
        int written = span.length() - 2 * quote;
        // Escapes make the written text longer than its value; then offsets no longer line up.
        if (written != s.constantText().length()) {
            return span;
        }
        return inner(span, quote, written, e);
    }

    private static Span inner(Span outer, int shift, int textLength, TimeSyntaxException e) {
        if (e.offset() < 0 || e.offset() > textLength) {
            return outer;
        }
        int start = outer.start() + shift + e.offset();
        int end = Math.min(outer.end(), start + Math.max(1, e.length()));
        if (textLength == 0) {
            return outer;
        }
        return new Span(Math.min(start, end), end);
    }
}
