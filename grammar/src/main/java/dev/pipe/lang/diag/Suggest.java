package dev.pipe.lang.diag;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" by edit distance: the closest candidate within a third of the name's length. */
public final class Suggest {
    private Suggest() {
    }

    /** {@code did you mean `x`?}, or null when nothing is close. */
    public static String didYouMean(String name, Iterable<String> candidates) {
        String best = closest(name, candidates);
        return best == null ? null : "did you mean `" + best + "`?";
    }

    public static String closest(String name, Iterable<String> candidates) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        int limit = Math.max(1, name.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            if (candidate == null || candidate.equals(name)) {
                continue;
            }
            int d = candidate.toLowerCase(Locale.ROOT).equals(lower) ? 0
                    : distance(name, candidate, Math.min(limit, bestDistance));
            if (d < bestDistance && d <= limit) {
                best = candidate;
                bestDistance = d;
                if (d == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /**
     * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
     * alignment), since {@code buidl} for {@code build} is the commonest slip; returns
     * {@code max + 1} as soon as the distance must exceed {@code max}.
     */
    public static int distance(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) {
            return max + 1;
        }
        int[] before = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    cur[j] = Math.min(cur[j], before[j - 2] + 1);
                }
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > max) {
                return max + 1;
            }
            int[] t = before;
            before = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code `a`, `b` and `c`}, cut to the first few with a count of the rest. */
    public static String list(Collection<String> names) {
        return list(names, 8);
    }

    public static String list(Collection<String> names, int max) {
        java.util.List<String> shown = new java.util.ArrayList<>();
        for (String n : names) {
            if (shown.size() == max) {
                break;
            }
            shown.add("`" + n + "`");
        }
        int rest = names.size() - shown.size();
        if (rest > 0) {
            return String.join(", ", shown) + " and " + rest + " more";
        }
        if (shown.size() <= 1) {
            return String.join("", shown);
        }
        return String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1);
    }
}
