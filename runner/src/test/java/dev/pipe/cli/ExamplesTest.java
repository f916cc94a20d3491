package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every documented example is checked, already formatted, and plans for every event it declares. */
class ExamplesTest {
    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.walk(CliRun.root().resolve("examples"))) {
            return s.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> examplesCheckFormatAndPlan() throws IOException {
        List<Path> files = examples();
        assertTrue(files.size() >= 2, "expected at least hello and shop, found " + files);
        return files.stream().flatMap(file -> {
            String name = CliRun.root().relativize(file).toString();
            return Stream.of(
                    DynamicTest.dynamicTest(name + " checks clean", () -> {
                        CliRun r = CliRun.of("check", file.toString());
                        assertEquals(Exit.OK, r.code(), r::toString);
                        assertFalse(r.out().contains("error["), r::toString);
                    }),
                    DynamicTest.dynamicTest(name + " is formatted", () -> {
                        CliRun r = CliRun.of("fmt", "--check", file.toString());
                        assertEquals(Exit.OK, r.code(), r::toString);
                    }),
                    DynamicTest.dynamicTest(name + " plans for each event", () -> {
                        if (Files.readString(file).lines().noneMatch(l -> l.startsWith("pipeline "))) {
                            // A module of templates: pipelines import it, it is not planned on its own.
                            CliRun r = CliRun.of("plan", file.toString());
                            assertEquals(Exit.USAGE, r.code(), r::toString);
                            assertTrue(r.err().contains("is a module"), r::toString);
                            return;
                        }
                        for (String[] event : new String[][] {
                                {"--event", "push", "--branch", "main"},
                                {"--event", "push", "--branch", "develop"},
                                {"--event", "tag", "--tag", "v1.2.3"},
                                {"--event", "pull_request", "--branch", "main"},
                                {"--event", "schedule"}}) {
                            String[] args = Stream.concat(Stream.of("plan", file.toString(), "--at", "2026-11-24T16:00:00Z"),
                                    Stream.of(event)).toArray(String[]::new);
                            for (String format : new String[] {"text", "json", "yaml"}) {
                                String[] withFormat = Stream.concat(Stream.of(args), Stream.of("--format", format))
                                        .toArray(String[]::new);
                                CliRun r = CliRun.of(withFormat);
                                assertEquals(Exit.OK, r.code(), () -> String.join(" ", withFormat) + "\n" + r);
                                assertFalse(r.out().isBlank(), r::toString);
                            }
                        }
                    }));
        });
    }

    /**
     * README's first command. With --branch: the checkout the tests run in may be on a detached
     * HEAD, where pipe cannot read the branch from git.
     */
    @org.junit.jupiter.api.Test
    void helloRuns(@org.junit.jupiter.api.io.TempDir Path state) {
        CliRun r = CliRun.of("run", CliRun.root().resolve("examples/hello/hello.pipe").toString(), "--state", state.toString(),
                "--branch", "main");
        assertEquals(Exit.OK, r.code(), r::toString);
        assertTrue(r.out().contains("[greet/say hello] Hello, world!"), r::toString);
    }

    @TestFactory
    Stream<DynamicTest> everyCommandHasHelp() {
        return Stream.of(new String[] {"--help"}, new String[] {"check", "--help"}, new String[] {"fmt", "--help"},
                        new String[] {"plan", "--help"}, new String[] {"run", "--help"}, new String[] {"resume", "--help"},
                        new String[] {"runs", "--help"}, new String[] {"status", "--help"}, new String[] {"logs", "--help"})
                .map(args -> DynamicTest.dynamicTest(String.join(" ", args), () -> {
                    CliRun r = CliRun.of(args);
                    assertEquals(Exit.OK, r.code(), r::toString);
                    assertTrue(r.out().contains("Usage: pipe"), r::toString);
                }));
    }

    @TestFactory
    Stream<DynamicTest> usageErrorsExitTwo() {
        return Stream.of(new String[] {"frobnicate"}, new String[] {"check", "--frob"},
                        new String[] {"check", "--format", "xml", "x.pipe"}, new String[] {"plan"}, new String[] {})
                .map(args -> DynamicTest.dynamicTest("pipe " + String.join(" ", args), () -> {
                    CliRun r = CliRun.of(args);
                    assertEquals(Exit.USAGE, r.code(), r::toString);
                    assertTrue(r.err().startsWith("pipe: "), r::toString);
                    assertFalse(r.err().contains("Exception"), r::toString);
                }));
    }
}
