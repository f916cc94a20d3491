package dev.pipe.lang.check;

import dev.pipe.lang.syntax.SourceFile;
import java.util.List;

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

    /**
     * The steps a module of steps (a JavaScript module) declares, so that calls to them are
     * checked like calls to built-in steps.
     *
     * @param from the file that imports
     * @param path the path as written
     * @return the module's steps, or null when this resolver does not know them (calls to the
     *     module are then not checked)
     */
    default ModuleSteps steps(SourceFile from, String path) {
        return null;
    }

    /**
     * What a module of steps declares.
     *
     * @param steps its steps, named without the module's name (such as {@code bump})
     * @param error why the module cannot be used, one sentence; null when it can
     */
    record ModuleSteps(List<StepSignature> steps, String error) {
        public ModuleSteps {
            steps = List.copyOf(steps);
        }
    }
}
