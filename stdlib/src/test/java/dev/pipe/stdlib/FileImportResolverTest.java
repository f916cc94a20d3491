package dev.pipe.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertTrue(resolver.exists(from, "std/node"));
        assertTrue(resolver.exists(from, "std/deploy"));
        assertFalse(resolver.exists(from, "std/nodejs"));
        assertFalse(resolver.exists(from, "std/../../etc/passwd"));
        assertFalse(resolver.exists(from, "std/"));
        assertEquals("std/node.pipe", resolver.load(from, "std/node").path());
        assertTrue(resolver.load(from, "std/node").text().contains("template stage ci"));
        assertNull(resolver.load(from, "std/../../etc/passwd"));
    }

    @Test
    void pipeModulesLoadByTheirPathFromTheImportingFile(@TempDir Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve("ci"));
        Files.writeString(project.resolve("ci/common.pipe"), "template steps x { }");
        Files.writeString(project.resolve("steps.js"), "export function next() {}");
        SourceFile from = new SourceFile(project.resolve("ci.pipe").toString(), "");
        SourceFile common = resolver.load(from, "./ci/../ci/common.pipe");
        assertEquals(project.resolve("ci/common.pipe").toString(), common.path());
        assertEquals("template steps x { }", common.text());
        assertNull(resolver.load(from, "./steps.js"), "JavaScript modules are not read as .pipe modules");
        assertNull(resolver.load(from, "./ci/missing.pipe"));
    }
}
