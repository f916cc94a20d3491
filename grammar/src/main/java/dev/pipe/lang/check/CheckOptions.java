package dev.pipe.lang.check;

/** What the checker needs from outside the language: the step catalogue and how imports are found. */
public record CheckOptions(StepCatalog steps, ImportResolver imports) {
}
