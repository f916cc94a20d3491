package dev.pipe.stdlib.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pipe.lang.check.StepSignature;
import dev.pipe.lang.check.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a module declares, read in the sandbox, and the declarations pipe refuses. */
class JsModuleTest {
    private static JsModule read(String text) throws InterruptedException {
        return JsModule.read("steps/m.js", text);
    }

    private static String error(String steps) throws InterruptedException {
        return read("export const steps = " + steps + ";").error();
    }

    @Test
    void declarationsBecomeSignatures() throws Exception {
        JsModule m = read("""
                const shared = { type: 'list', default: [] };
                export const steps = {
                  bump: {
                    summary: 'Bumps.',
                    params: { version: { type: 'string', positional: true, summary: 'the version' }, tags: shared,
                              wait: { type: 'duration', required: false }, force: 'bool', n: { type: 'number', default: 1 } },
                    outputs: ['version'],
                    run(step) {},
                  },
                  other: { run() {} },
                };
                """);
        assertNull(m.error());
        assertEquals(List.of("bump", "other"), List.copyOf(m.steps().keySet()));
        StepSignature sig = m.steps().get("bump").signature();
        assertEquals("bump", sig.name());
        assertEquals("Bumps.", sig.summary());
        assertEquals(List.of("version"), sig.outputs());
        assertEquals(List.of(
                new StepSignature.Param("version", Type.STRING, true, true, "the version"),
                new StepSignature.Param("tags", Type.LIST, false, false, ""),
                new StepSignature.Param("wait", Type.DURATION, false, false, ""),
                new StepSignature.Param("force", Type.BOOL, true, false, ""),
                new StepSignature.Param("n", Type.NUMBER, false, false, "")), sig.params());
        assertEquals(List.of(), m.steps().get("other").signature().outputs());
    }

    @Test
    void declarationsPipeCannotUseAreRefusedWithAReason() throws Exception {
        assertEquals("its `steps` declares no step", error("{}"));
        assertEquals("step `Bump` needs a name of lower-case letters, digits and _, such as `bump_version`",
                error("{ Bump: { run() {} } }"));
        assertEquals("step `bump` has no `run` function", error("{ bump: { params: {} } }"));
        assertEquals("step `bump` has more than one positional parameter",
                error("{ bump: { params: { a: { type: 'string', positional: true }, b: { type: 'string', positional: true } }, run() {} } }"));
        assertEquals("step `bump`, parameter `a`: the default 3 is not a string",
                error("{ bump: { params: { a: { type: 'string', default: 3 } }, run() {} } }"));
        assertEquals("step `bump`, parameter `a` is required and has a default; a default makes it optional",
                error("{ bump: { params: { a: { type: 'string', default: 'x', required: true } }, run() {} } }"));
        assertEquals("step `bump`: `outputs` must be a list of names, such as [\"version\"]",
                error("{ bump: { outputs: 'version', run() {} } }"));
        assertEquals("step `bump` lists output `v` twice", error("{ bump: { outputs: ['v', 'v'], run() {} } }"));
    }

    @Test
    void aTopLevelThatNeverEndsIsStopped() throws Exception {
        JsModule m = read("while (true) {}\nexport const steps = { bump: { run() {} } };");
        assertEquals("its top level ran more than 5000000 statements, the limit for JavaScript", m.error());
    }

    @Test
    void anExceptionInTheTopLevelSaysWhere() throws Exception {
        JsModule m = read("\nconst x = undefined.y;\nexport const steps = {};");
        assertEquals("TypeError: Cannot read property 'y' of undefined (at steps/m.js:2:11)", m.error());
    }
}
