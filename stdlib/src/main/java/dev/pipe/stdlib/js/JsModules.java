package dev.pipe.stdlib.js;

import dev.pipe.engine.run.StepFunction;
import dev.pipe.lang.check.ImportResolver;
import dev.pipe.lang.check.StepSignature;
import dev.pipe.lang.syntax.Program;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JavaScript step modules: what they declare, for the checker, and their steps, for a run. A
 * module is read once per process (the checker reads it, the run reuses what it read) unless
 * its file changed in between.
 *
 * <p>Only this class is used from outside the package, and only when a pipeline imports a
 * {@code .js} file: GraalVM's classes load then, not before.
 */
public final class JsModules {
    private static final Map<Path, JsModule> READ = new ConcurrentHashMap<>();

    private JsModules() {
    }

    /**
     * The steps a module declares, or why it cannot be used.
     *
     * @param file the module's file
     * @param shown its path as messages show it
     */
    public static ImportResolver.ModuleSteps declared(Path file, String shown) {
        JsModule m = read(file, shown);
        if (m.error() != null) {
            return new ImportResolver.ModuleSteps(List.of(), m.error());
        }
        List<StepSignature> steps = new ArrayList<>();
        m.steps().values().forEach(s -> steps.add(s.signature()));
        return new ImportResolver.ModuleSteps(steps, null);
    }

    /**
     * The step functions of the JavaScript modules {@code program} imports, named as the
     * pipeline calls them ({@code alias.step}). A module that cannot be read gives none: the
     * checker has said why, and a call to it fails as a step pipe cannot run.
     *
     * @param pipeFile the .pipe file, as the checker was given it
     */
    public static List<StepFunction> functions(Path pipeFile, Program program) {
        List<StepFunction> out = new ArrayList<>();
        for (Program.Import i : program.imports()) {
            if (!i.path().isConstant() || !i.path().constantText().endsWith(".js")) {
                continue;
            }
            String path = i.path().constantText();
            String alias = i.alias() != null ? i.alias().name() : defaultName(path);
            String shown = shown(pipeFile.toString(), path);
            Path file = pipeFile.toAbsolutePath().getParent().resolve(path).normalize();
            JsModule m = read(file, shown);
            if (m.error() != null) {
                continue;
            }
            for (JsModule.Step s : m.steps().values()) {
                out.add(new JsStepFunction(alias + "." + s.name(), file, shown, s.name(), i.allows("exec")));
            }
        }
        return out;
    }

    /** Whether {@code program} imports a JavaScript module. */
    public static boolean imports(Program program) {
        return program.imports().stream().anyMatch(i -> i.path().isConstant() && i.path().constantText().endsWith(".js"));
    }

    /** A module's path as messages show it: relative to the importing file's folder as that file was named. */
    public static String shown(String from, String path) {
        Path dir = Path.of(from).getParent();
        return (dir == null ? Path.of(path) : dir.resolve(path)).normalize().toString().replace('\\', '/');
    }

    private static String defaultName(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.indexOf('.');
        return dot > 0 ? last.substring(0, dot) : last;
    }

    /** The module in {@code file}, read now or earlier when the file has not changed since. */
    static JsModule read(Path file, String shown) {
        Path key = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(key, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new JsModule(shown, "", Map.of(), "pipe could not read it: " + e.getMessage());
        }
        JsModule known = READ.get(key);
        if (known != null && known.text().equals(text) && known.shown().equals(shown)) {
            return known;
        }
        JsModule m;
        try {
            m = JsModule.read(shown, text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JsModule(shown, text, Map.of(), "pipe was interrupted while reading it");
        }
        READ.put(key, m);
        return m;
    }
}
