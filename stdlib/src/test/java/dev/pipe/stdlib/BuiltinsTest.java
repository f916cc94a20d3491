package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.check.StepSignature;
import dev.pipe.lang.check.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinsTest {
    private final Builtins builtins = new Builtins();

    @Test
    void everyStepIsFoundByNameAndDocumented() {
        assertEquals(12, builtins.all().size());
        for (StepSignature s : builtins.all()) {
            assertEquals(s, builtins.find(s.name()).orElseThrow());
            assertTrue(s.summary().endsWith("."), s.name() + " needs a one-sentence summary");
            for (StepSignature.Param p : s.params()) {
                assertFalse(p.summary().isBlank(), s.name() + "." + p.name() + " needs a summary");
            }
        }
        assertTrue(builtins.find("docker.biuld").isEmpty());
    }

    @Test
    void signaturesMatchTheLanguageGuide() {
        StepSignature sh = builtins.find("sh").orElseThrow();
        assertEquals("command", sh.positional().orElseThrow().name());
        assertNull(sh.outputs(), "a shell step's outputs are whatever it writes");

        StepSignature build = builtins.find("docker.build").orElseThrow();
        assertTrue(build.positional().isEmpty());
        assertTrue(build.param("tag").orElseThrow().required());
        assertEquals(List.of("image_id", "digest"), build.outputs());

        StepSignature http = builtins.find("http").orElseThrow();
        assertEquals(Type.NUMBER, http.param("expect").orElseThrow().type());
        assertEquals(Type.DURATION, http.param("timeout").orElseThrow().type());

        StepSignature cache = builtins.find("cache").orElseThrow();
        assertEquals(Type.LIST, cache.param("paths").orElseThrow().type());
        assertEquals(Type.LIST, cache.param("files").orElseThrow().type());
        assertEquals(List.of("hit", "key"), cache.outputs());

        StepSignature next = builtins.find("release.next_version").orElseThrow();
        assertEquals(List.of("version", "tag", "bump", "previous"), next.outputs());
        assertEquals(List.of("tag", "sha"), builtins.find("git.tag").orElseThrow().outputs());
    }
}
