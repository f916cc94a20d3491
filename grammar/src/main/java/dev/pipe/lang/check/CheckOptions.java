package dev.pipe.lang.check;

/**
 * What the checker needs from outside the language: the step catalogue, how imports are found,
 * and whether the pipeline's git facts can be known.
 *
 * @param gitUnavailable why {@code git.*} cannot be read where the file is (it is not in a git
 *     repository), or null; when set, each {@code git.*} reference and {@code changed(...)} call
 *     gets warning W610
 */
public record CheckOptions(StepCatalog steps, ImportResolver imports, String gitUnavailable) {
    public CheckOptions(StepCatalog steps, ImportResolver imports) {
        this(steps, imports, null);
    }
}
