package dev.pipe.lang.check;

import java.util.Collection;
import java.util.Optional;

/** The step functions a pipeline may call. The stdlib module provides the built-in catalogue. */
public interface StepCatalog {
    Optional<StepSignature> find(String qualifiedName);

    Collection<StepSignature> all();
}
