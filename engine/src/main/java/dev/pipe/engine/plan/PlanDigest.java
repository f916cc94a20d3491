package dev.pipe.engine.plan;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest that names a plan, for approvals bound to exactly what they approve.
 *
 * <p>It is the SHA-256 (lower-case hex) of the compact JSON of the plan made for the same program
 * and event <em>without a clock</em>: the {@code digest} field itself and {@code event.at} are
 * absent, window gates carry no {@code open}, {@code frozen}, {@code opens_at} and
 * {@code closes_at} and their summaries say nothing about now, and a closed window holds no stage
 * back (no {@code wait}, no {@code outside fail} skip, nor what follows from them for the stages
 * that need it). So the digest changes when a command, a version, a condition's outcome, an
 * input or the event change, and stays the same while the clock moves.
 */
public final class PlanDigest {
    private PlanDigest() {
    }

    /** SHA-256 hex of the canonical JSON of a clock-free plan (one whose {@code event.at} is null). */
    static String of(Plan clockFree) {
        if (clockFree.event().at() != null) {
            throw new IllegalArgumentException("the digest is computed over the clock-free plan");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(PlanJson.canonical(clockFree.withDigest(null))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The first 12 hex digits, enough for people to compare two plans by eye. */
    public static String shortForm(String digest) {
        return digest == null ? "" : digest.substring(0, Math.min(12, digest.length()));
    }
}
