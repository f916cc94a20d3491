package dev.pipe.stdlib;

import dev.pipe.lang.check.ImportResolver;
import dev.pipe.lang.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Finds imported modules: {@code ./x.pipe} and {@code ../x.js} relative to the folder of the
 * importing file, {@code std/NAME} as the resource {@code std/NAME.pipe} on the stdlib classpath.
 */
public final class FileImportResolver implements ImportResolver {
    private static final Pattern STD_NAME = Pattern.compile("[a-z0-9_]+(/[a-z0-9_]+)*");

    /** The steps of a JavaScript module, read in its sandbox; null for other modules. */
    @Override
    public ModuleSteps steps(SourceFile from, String path) {
        if (!path.endsWith(".js") || !path.startsWith("./") && !path.startsWith("../")) {
            return null;
        }
        Path file;
        try {
            Path dir = Path.of(from.path()).toAbsolutePath().getParent();
            file = dir.resolve(path).normalize();
        } catch (InvalidPathException | SecurityException e) {
            return null;
        }
        return dev.pipe.stdlib.js.JsModules.declared(file, dev.pipe.stdlib.js.JsModules.shown(from.path(), path));
    }

    @Override
    public boolean exists(SourceFile from, String path) {
        if (path.startsWith("std/")) {
            String name = path.substring("std/".length());
            return STD_NAME.matcher(name).matches()
                    && FileImportResolver.class.getClassLoader().getResource("std/" + name + ".pipe") != null;
        }
        if (!path.startsWith("./") && !path.startsWith("../")) {
            return false;
        }
        try {
            Path dir = Path.of(from.path()).toAbsolutePath().getParent();
            return dir != null && Files.isRegularFile(dir.resolve(path).normalize());
        } catch (InvalidPathException | SecurityException e) {
            return false;
        }
    }
}
