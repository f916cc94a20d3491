package dev.pipe.stdlib;

import dev.pipe.lang.check.ImportResolver;
import dev.pipe.lang.syntax.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /**
     * Reads {@code std/NAME} from the classpath (shown as {@code std/NAME.pipe}) or a relative
     * {@code .pipe} file (shown relative to the importing file's path, as the user wrote that one).
     */
    @Override
    public SourceFile load(SourceFile from, String path) {
        if (!exists(from, path)) {
            return null;
        }
        try {
            if (path.startsWith("std/")) {
                try (InputStream in = FileImportResolver.class.getClassLoader().getResourceAsStream(path + ".pipe")) {
                    return in == null ? null : new SourceFile(path + ".pipe", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            if (!path.endsWith(".pipe")) {
                return null;
            }
            Path dir = Path.of(from.path()).getParent();
            Path file = (dir == null ? Path.of(path) : dir.resolve(path)).normalize();
            return new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }
}
