package dev.pipe.engine.plan;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What started a run. The keyword is what {@code event} evaluates to and what {@code --event} takes. */
public enum EventKind {
    PUSH, TAG, PULL_REQUEST, MANUAL, SCHEDULE;

    /** {@code push}, {@code tag}, {@code pull_request}, {@code manual} or {@code schedule}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventKind> fromKeyword(String keyword) {
        return Arrays.stream(values()).filter(k -> k.keyword().equals(keyword)).findFirst();
    }

    /**
     * Like {@link #fromKeyword} but for command lines.
     *
     * @throws PlanException naming the events pipe knows
     */
    public static EventKind parse(String keyword) {
        return fromKeyword(keyword).orElseThrow(() -> new PlanException("`" + keyword + "` is not an event pipe knows"
                + Suggest.didYouMean(keyword, Arrays.stream(values()).map(EventKind::keyword).toList())
                + " The events are push, tag, pull_request, manual and schedule."));
    }
}
