package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/runs.md shows a journal and file names; they must be what the code reads and writes. */
class RunsDocTest {
    private static String doc() throws IOException {
        return Files.readString(Path.of("../docs/runs.md"), StandardCharsets.UTF_8);
    }

    @Test
    void theExampleJournalReadsAsASucceededRun() throws IOException {
        Matcher m = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(doc());
        assertTrue(m.find(), "docs/runs.md has no ```json block");
        JournalFile read = JournalReader.parse(m.group(1).getBytes(StandardCharsets.UTF_8), "docs/runs.md");
        assertEquals(List.of(), read.warnings());
        assertTrue(read.torn().isEmpty());
        RunState state = RunState.replay(read.entries(), pid -> false);
        assertEquals(RunStatus.SUCCEEDED, state.status());
        assertEquals(Map.of("greet", StageStatus.SUCCEEDED, "done", StageStatus.SUCCEEDED), state.finishedStages());
        assertEquals(Map.of("say hello", Map.of("greeting", "Hello, world!")), state.stepOutputs("greet"));
        // Every line is exactly what the writer makes of its event.
        for (String line : m.group(1).lines().toList()) {
            JournalEntry e = JournalReader.parse((line + "\n").getBytes(StandardCharsets.UTF_8), "doc").entries().get(0);
            String written = new String(JournalCodec.line(e.seq(), e.at(), JournalCodec.body(e.event(), s -> s)),
                    StandardCharsets.UTF_8);
            assertEquals(line + "\n", written);
        }
    }

    @Test
    void theFileNameTableIsWhatTheEncoderDoes() throws IOException {
        String doc = doc();
        String table = doc.substring(doc.indexOf("**Log file names.**"), doc.indexOf("**plan.json**"));
        Matcher row = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)`", Pattern.MULTILINE).matcher(table);
        int rows = 0;
        while (row.find()) {
            assertEquals(row.group(2), FileNames.encode(row.group(1)), row.group());
            rows++;
        }
        assertEquals(6, rows, "the table of log file names in docs/runs.md");
    }
}
