package dev.pipe.lang.time;

import java.util.Random;

/**
 * Seeds for the property tests: {@code -Dpipe.seed=N} replays a run; otherwise a fixed default,
 * so the build is repeatable. Every failure message starts with the seed and the case number.
 */
final class Seeds {

    static final long DEFAULT = 20260101L;

    private Seeds() {
    }

    static long base() {
        String value = System.getProperty("pipe.seed");
        return value == null || value.isBlank() ? DEFAULT : Long.parseLong(value.strip());
    }

    /** A generator for one test, mixing the base seed with the test's own salt. */
    static Random random(long salt) {
        return new Random(base() * 31 + salt);
    }

    static String where(long salt, int caseNumber) {
        return "[pipe.seed=" + base() + ", salt=" + salt + ", case " + caseNumber + "] ";
    }
}
