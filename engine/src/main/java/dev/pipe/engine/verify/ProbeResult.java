package dev.pipe.engine.verify;

import java.util.Objects;

/**
 * How one try of a check went.
 *
 * @param detail one sentence saying what was seen, for the journal and the console, such as
 *     {@code HTTP 503 from https://shop.example.com/health, expected 200}
 */
public record ProbeResult(boolean passed, String detail) {
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static ProbeResult pass(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult fail(String detail) {
        return new ProbeResult(false, detail);
    }
}
