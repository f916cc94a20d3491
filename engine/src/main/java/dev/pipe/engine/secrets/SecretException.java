package dev.pipe.engine.secrets;

/**
 * Secrets could not be loaded or a declared one is missing. The message names files, lines and
 * secret names, never a value.
 */
public final class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }
}
