package dev.pipe.lang.check;

import dev.pipe.lang.syntax.SourceFile;

/** Decides whether an import names a module that exists, and reads {@code .pipe} modules. */
public interface ImportResolver {
    /**
     * @param from the file that imports
     * @param path the path as written: {@code std/NAME}, {@code ./relative.pipe} or {@code ./relative.js}
     * @return true when the module can be found
     */
    boolean exists(SourceFile from, String path);

    /**
     * Reads a {@code .pipe} module (a {@code std/NAME} module or a relative {@code .pipe} file) so that
     * its templates can be used.
     *
     * @return the module's text, its path being the one shown in messages and naming the module
     *     uniquely (two imports of one file give the same path); null when it cannot be read
     */
    default SourceFile load(SourceFile from, String path) {
        return null;
    }
}
