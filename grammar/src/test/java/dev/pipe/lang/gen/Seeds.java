package dev.pipe.lang.gen;

/**
 * Seeds and case counts for random tests. {@code -Dpipe.seed=N} replaces the default seed and
 * {@code -Dpipe.cases=N} the number of cases, so a failure reported as seed S reruns alone with
 * {@code -Dpipe.seed=S -Dpipe.cases=1}.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long seed(long defaultSeed) {
        return Long.getLong("pipe.seed", defaultSeed);
    }

    public static int cases(int defaultCases) {
        return Integer.getInteger("pipe.cases", defaultCases);
    }

    /** How to rerun one failing case. */
    public static String rerun(long seed) {
        return "seed " + seed + " (rerun just this case with -Dpipe.seed=" + seed + " -Dpipe.cases=1)";
    }
}
