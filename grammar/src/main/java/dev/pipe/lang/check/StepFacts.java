package dev.pipe.lang.check;

import dev.pipe.lang.syntax.Span;

/**
 * A named step as the checker sees it.
 *
 * @param name the step's name
 * @param section the block it is in
 * @param order its position within that block
 * @param signature what its function produces, or null when unknown (then any output is accepted)
 * @param span where its name is written
 */
record StepFacts(String name, Section section, int order, StepSignature signature, Span span) {

    /** The blocks of a stage in which steps run, in order; hooks have their own. */
    enum Section {
        MAIN, ROLLBACK, FINALLY, HOOK
    }
}
