package dev.pipe.lang.time;

import dev.pipe.lang.diag.Suggest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A deployment window: a {@link WindowSpec} read in a time zone, minus freeze periods, as written
 * in {@code window "Tue-Thu 10:00-14:00" tz "America/New_York" freeze ["2026-12-24".."2027-01-02"]}.
 *
 * <p>The window is open at an instant when the instant's wall-clock time in {@link #zone()} falls
 * inside one of the spec's intervals (start inclusive, end exclusive) and the instant's local date
 * in that zone is not frozen. A freeze shuts whole local days: an overnight clause
 * {@code Fri 22:00-02:00} with Saturday frozen is open Friday 22:00 to midnight only.
 *
 * <p>Daylight-saving changes follow from reading intervals in local wall-clock time:
 * <ul>
 *   <li>Spring forward: an interval starting at a local time that does not exist that day (in
 *       the gap) opens at the first valid instant after it, the moment the clocks jump; an
 *       interval ending in the gap closes at that same moment; an interval lying entirely inside
 *       the gap does not open that day.</li>
 *   <li>Fall back: a local interval that occurs twice is open during both occurrences, and an
 *       interval ending inside the repeated hour closes, then opens again when the clock goes
 *       back, until the end time comes round a second time.</li>
 * </ul>
 *
 * <p>Searches ({@link #nextOpening}, {@link #closesAt}) look at most {@value #SEARCH_DAYS} days
 * ahead. {@code nextOpening} does not count frozen days against that bound (it jumps over each
 * freeze), so it comes back empty only when a freeze never ends (runs to {@link LocalDate#MAX}).
 *
 * @param spec the days and hours
 * @param zone the zone the hours and freeze dates are read in
 * @param freezes the frozen dates, possibly overlapping, in any order
 */
public record Window(WindowSpec spec, ZoneId zone, List<FreezePeriod> freezes) {

    /** How many days ahead {@link #nextOpening} and {@link #closesAt} look. */
    public static final int SEARCH_DAYS = 400;

    /** Checks for nulls and copies {@code freezes}. */
    public Window {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(zone, "zone");
        freezes = List.copyOf(freezes);
    }

    /** A window without freezes. */
    public Window(WindowSpec spec, ZoneId zone) {
        this(spec, zone, List.of());
    }

    /**
     * Resolves a time zone ID such as {@code America/New_York}, {@code UTC} or {@code +02:00}.
     *
     * @throws TimeSyntaxException if the zone is unknown, suggesting the closest known ID when one
     *     is near; the offset covers the whole ID
     */
    public static ZoneId zone(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new TimeSyntaxException("the time zone is empty: use a region name such as"
                    + " `America/New_York` or `Europe/Berlin`, or `UTC`", 0, id.length());
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException unknown) {
            String suggestion = closestZone(id);
            if (suggestion != null) {
                throw new TimeSyntaxException("unknown time zone `" + id + "`; did you mean `"
                        + suggestion + "`?", 0, id.length());
            }
            throw new TimeSyntaxException("unknown time zone `" + id + "`: use a region name such as"
                    + " `America/New_York` or `Europe/Berlin`, or `UTC`", 0, id.length());
        }
    }

    /** Whether the window is open at {@code t} (see the class comment). */
    public boolean isOpen(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        return !isFrozen(local.toLocalDate()) && spec.contains(local);
    }

    /** Whether {@code date} lies in one of the freeze periods. */
    public boolean isFrozen(LocalDate date) {
        return freezeOn(date) != null;
    }

    /**
     * {@code t} itself if the window is open at {@code t}; otherwise the earliest instant after
     * {@code t} at which it is open. Empty when it does not open within {@value #SEARCH_DAYS}
     * unfrozen days, which happens only when a freeze never ends.
     */
    public Optional<Instant> nextOpening(Instant t) {
        return isOpen(t) ? Optional.of(t) : search(t, true);
    }

    /**
     * When the window is open at {@code t}, the earliest instant after {@code t} at which it is
     * shut: the end of the interval, or the start of a frozen day, whichever comes first. Empty
     * when it is shut at {@code t}, or stays open for the whole {@value #SEARCH_DAYS}-day search
     * (as {@code daily} without freezes does).
     */
    public Optional<Instant> closesAt(Instant t) {
        return isOpen(t) ? search(t, false) : Optional.empty();
    }

    /**
     * A sentence such as
     * {@code Tue–Thu 10:00–14:00 America/New_York, frozen 2026-12-24 to 2027-01-02}.
     */
    public String describe() {
        StringBuilder out = new StringBuilder(spec.describe()).append(' ').append(zone.getId());
        for (int i = 0; i < freezes.size(); i++) {
            out.append(i == 0 ? ", frozen " : i == freezes.size() - 1 ? " and " : ", ")
                    .append(freezes.get(i).describe());
        }
        return out.toString();
    }

    /**
     * The earliest instant after {@code t} whose openness is {@code open}. The state can only
     * change at an interval start or end, at local midnight or at a zone transition, so those
     * are the candidates, day by day.
     */
    private Optional<Instant> search(Instant t, boolean open) {
        LocalDate day = LocalDateTime.ofInstant(t, zone).toLocalDate().minusDays(1);
        Instant best = null;
        for (int searched = 0; searched <= SEARCH_DAYS + 1; searched++) {
            FreezePeriod freeze = open && best == null ? freezeOn(day) : null;
            if (freeze != null) {
                if (freeze.toInclusive().equals(LocalDate.MAX)) {
                    return Optional.empty();
                }
                day = freeze.toInclusive().plusDays(1); // another freeze may follow: loop again
                searched--;
                continue;
            }
            boolean foundBefore = best != null;
            for (Instant candidate : candidates(day, open)) {
                if (candidate.isAfter(t) && isOpen(candidate) == open
                        && (best == null || candidate.isBefore(best))) {
                    best = candidate;
                }
            }
            if (foundBefore) {
                break;
            }
            day = day.plusDays(1);
        }
        return Optional.ofNullable(best);
    }

    /** Instants on {@code day} where the window may open (or close), in time order. */
    private TreeSet<Instant> candidates(LocalDate day, boolean starts) {
        ZoneRules rules = zone.getRules();
        TreeSet<Instant> out = new TreeSet<>();
        addLocal(out, rules, day.atStartOfDay());
        for (WindowSpec.Clause clause : spec.clauses()) {
            int minute = starts ? clause.start() : clause.end();
            if (minute < 1440) {
                addLocal(out, rules, day.atTime(minute / 60, minute % 60));
            }
        }
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        ZoneOffsetTransition transition = rules.nextTransition(from.minusNanos(1));
        while (transition != null && !transition.getInstant().isAfter(to)) {
            out.add(transition.getInstant());
            transition = rules.nextTransition(transition.getInstant());
        }
        return out;
    }

    /** Every instant showing {@code local}, or the end of the gap if it falls in one. */
    private static void addLocal(TreeSet<Instant> out, ZoneRules rules, LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            out.add(rules.getTransition(local).getInstant());
        }
        for (ZoneOffset offset : offsets) {
            out.add(local.toInstant(offset));
        }
    }

    private FreezePeriod freezeOn(LocalDate date) {
        for (FreezePeriod freeze : freezes) {
            if (freeze.contains(date)) {
                return freeze;
            }
        }
        return null;
    }

    private static String closestZone(String id) {
        return Suggest.closest(id, new TreeSet<>(ZoneId.getAvailableZoneIds()));
    }
}
