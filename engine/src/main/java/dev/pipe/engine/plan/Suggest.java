package dev.pipe.engine.plan;

import java.util.Collection;
import java.util.Optional;

/** "did you mean ...?" for names typed on the command line. */
final class Suggest {
    private Suggest() {
    }

    /** The candidate closest to {@code typed}, if it is close enough to be a typo. */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        return Optional.ofNullable(dev.pipe.lang.diag.Suggest.closest(typed, candidates));
    }

    /** Ends a sentence: {@code "; did you mean `tag`?"} when a candidate is close, else {@code "."}. */
    static String didYouMean(String typed, Collection<String> candidates) {
        return closest(typed, candidates).map(c -> "; did you mean `" + c + "`?").orElse(".");
    }
}
