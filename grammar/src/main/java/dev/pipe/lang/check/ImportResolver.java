package dev.pipe.lang.check;

import dev.pipe.lang.syntax.SourceFile;

/** Decides whether an import names a module that exists. */
public interface ImportResolver {
    /**
     * @param from the file that imports
     * @param path the path as written: {@code std/NAME}, {@code ./relative.pipe} or {@code ./relative.js}
     * @return true when the module can be found
     */
    boolean exists(SourceFile from, String path);
}
