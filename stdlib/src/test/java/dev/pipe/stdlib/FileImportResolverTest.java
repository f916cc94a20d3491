package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImportResolverTest {
    private final FileImportResolver resolver = new FileImportResolver();

    @Test
    void relativePathsResolveAgainstTheImportingFilesFolder(@TempDir Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("steps"));
        Files.writeString(project.resolve("steps/semver.js"), "export function next() {}");
        Files.writeString(dir.resolve("shared.pipe"), "pipeline shared");
        SourceFile from = new SourceFile(project.resolve("ci.pipe").toString(), "");

        assertTrue(resolver.exists(from, "./steps/semver.js"));
        assertTrue(resolver.exists(from, "../shared.pipe"));
        assertFalse(resolver.exists(from, "./steps/missing.js"));
        assertFalse(resolver.exists(from, "./steps"), "a folder is not a module");
        assertFalse(resolver.exists(from, "steps/semver.js"), "paths must start with ./ or ../");
    }

    @Test
    void stdModulesAreClasspathResources() {
        SourceFile from = new SourceFile("ci.pipe", "");
        assertFalse(resolver.exists(from, "std/node"), "no std modules ship yet");
        assertFalse(resolver.exists(from, "std/../../etc/passwd"));
        assertFalse(resolver.exists(from, "std/"));
    }
}
