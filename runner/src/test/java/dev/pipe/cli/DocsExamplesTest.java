package dev.pipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every ```pipe block in README.md and docs/ is a whole pipeline that checks clean, so the docs cannot rot. */
class DocsExamplesTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> documentedPipelinesCheckClean() throws IOException {
        Path root = CliRun.root();
        // Documented pipelines live in a repository: outside one, each git.* reference would warn (W610).
        dev.pipe.stdlib.git.GitFixture.init(tmp);
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```pipe")) {
                    continue;
                }
                int start = i + 1;
                StringBuilder block = new StringBuilder();
                while (++i < lines.size() && !lines.get(i).strip().equals("```")) {
                    block.append(lines.get(i)).append('\n');
                }
                String name = root.relativize(page) + ":" + start;
                String text = block.toString();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Path file = tmp.resolve("block-" + start + ".pipe");
                    Files.writeString(file, text);
                    CliRun r = CliRun.of("check", file.toString());
                    assertEquals(Exit.OK, r.code(), () -> name + "\n" + text + "\n" + r);
                    assertFalse(r.out().contains("warning["), () -> name + "\n" + r);
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no ```pipe blocks found in the docs");
        return tests.stream();
    }
}
