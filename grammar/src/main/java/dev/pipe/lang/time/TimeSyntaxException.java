package dev.pipe.lang.time;

/**
 * A duration, cron expression, window spec, freeze date or time zone that cannot be understood.
 *
 * <p>The message is one sentence meant for a person in a hurry: it quotes the bad part and says
 * what to write instead. {@link #offset()} and {@link #length()} locate the bad part inside the
 * text that was parsed (0-based, in {@code char}s), so a checker can point carets at it. An error
 * about a whole text (a wrong number of cron fields, an unknown zone) covers all of it. The offset
 * is {@code -1} and the length {@code 0} when the error has no place in a single text, as with
 * {@link FreezePeriod#parse}, which takes two strings.
 */
public final class TimeSyntaxException extends IllegalArgumentException {

    private final int offset;
    private final int length;

    /** An error with no particular place in the text ({@code offset() == -1}). */
    public TimeSyntaxException(String message) {
        this(message, -1, 0);
    }

    /**
     * An error about the {@code length} characters starting at {@code offset} of the parsed text.
     */
    public TimeSyntaxException(String message, int offset, int length) {
        super(message);
        this.offset = offset;
        this.length = offset < 0 ? 0 : Math.max(0, length);
    }

    /** The 0-based offset of the bad part in the parsed text, or -1 when not applicable. */
    public int offset() {
        return offset;
    }

    /** How many characters the bad part spans from {@link #offset()}; 0 when not applicable. */
    public int length() {
        return length;
    }
}
