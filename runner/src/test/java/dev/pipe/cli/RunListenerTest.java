package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunListenerTest {
    @Test
    void durationsAreTenthsOfASecondRoundedHalfUp() {
        assertEquals("0.0s", RunListener.seconds(0));
        assertEquals("0.0s", RunListener.seconds(49_999_999));
        assertEquals("0.1s", RunListener.seconds(50_000_000));
        assertEquals("1.3s", RunListener.seconds(1_250_000_000));
        assertEquals("60.0s", RunListener.seconds(59_960_000_000L));
        assertEquals("3725.4s", RunListener.seconds(3_725_400_000_000L));
    }
}
