package dev.pipe.engine.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/deployments.md shows a history and a lock queue; they must be what the code reads and writes. */
class DeploymentsDocTest {
    @TempDir
    Path state;

    private static List<String> jsonBlocks() throws IOException {
        String doc = Files.readString(Path.of("../docs/deployments.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertEquals(2, blocks.size(), "docs/deployments.md shows a history and a queue");
        return blocks;
    }

    @Test
    void theExampleHistoryIsWhatTheLedgerWrites() throws IOException {
        String history = jsonBlocks().get(0);
        Ledger ledger = new Ledger(state);
        Path file = ledger.file("production");
        Files.createDirectories(file.getParent());
        Files.writeString(file, history);
        HistoryFile read = ledger.read("production");
        assertTrue(read.torn().isEmpty());
        assertEquals(2, read.entries().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(history.lines().toList().get(i), DeployJson.line(read.entries().get(i), UnaryOperator.identity()));
        }
        Ledger.Current current = ledger.current("production").orElseThrow();
        assertEquals("v1.4.0", current.version());
        assertTrue(current.unsettledBy().isEmpty());
    }

    @Test
    void theExampleQueueIsWhatTheLockWrites() throws IOException {
        String queue = jsonBlocks().get(1).replace("\n", "");
        EnvironmentLock.Queue q = DeployJson.MAPPER.readValue(queue, EnvironmentLock.Queue.class);
        assertEquals(queue, DeployJson.line(q, UnaryOperator.identity()));
        assertEquals(List.of(11L, 12L), q.tickets().stream().map(EnvironmentLock.Ticket::seq).toList());
    }
}
