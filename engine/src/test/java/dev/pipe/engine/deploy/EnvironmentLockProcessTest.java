package dev.pipe.engine.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The environment lock between real processes: one holder at a time, in arrival order, and kill -9 never wedges it. */
class EnvironmentLockProcessTest {
    @TempDir
    Path state;

    private Path log() {
        return state.resolve("holders.log");
    }

    /** The runs in the log, checking that each start is followed by its own end before the next start. */
    private List<String> holdersInOrder() throws Exception {
        List<String> lines = Files.readAllLines(log());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 2) {
            String[] start = lines.get(i).split(" ");
            assertEquals("start", start[0], "line " + (i + 1) + " of " + lines);
            runs.add(start[1]);
            String[] end = lines.get(i + 1).split(" ");
            assertEquals(List.of("end", start[1]), List.of(end[0], end[1]),
                    "two holders at once: line " + (i + 2) + " of " + lines);
        }
        return runs;
    }

    @Test
    @Timeout(180)
    void processesHoldTheLockOneAtATimeInTheOrderTheyArrived() throws Exception {
        try (Children children = new Children()) {
            Children.Child first = children.start(LockContender.class, state.toString(), "production", "run-1",
                    log().toString(), "hold");
            assertTrue(first.line().startsWith("holding "));
            List<Children.Child> waiting = new ArrayList<>();
            for (int i = 2; i <= 5; i++) {
                Children.Child c = children.start(LockContender.class, state.toString(), "production", "run-" + i,
                        log().toString(), "brief");
                // Start the next only once this one is in the queue, so arrival order is known.
                assertEquals("waiting run-1 " + first.pid() + " ahead " + (i - 1), c.line());
                waiting.add(c);
            }
            List<EnvironmentLock.Ticket> queue = new EnvironmentLock(state, "production").queue();
            assertEquals(List.of("run-1", "run-2", "run-3", "run-4", "run-5"),
                    queue.stream().map(EnvironmentLock.Ticket::runId).toList());
            first.closeInput();
            assertEquals("released", first.lineStartingWith("released"));
            assertEquals(0, first.waitFor());
            for (Children.Child c : waiting) {
                c.lineStartingWith("released");
                assertEquals(0, c.waitFor());
            }
        }
        assertEquals(List.of("run-1", "run-2", "run-3", "run-4", "run-5"), holdersInOrder());
        assertEquals(List.of(), new EnvironmentLock(state, "production").queue());
    }

    @Test
    @Timeout(180)
    void aKilledHolderLetsTheNextOneIn() throws Exception {
        try (Children children = new Children()) {
            Children.Child holder = children.start(LockContender.class, state.toString(), "production", "run-1",
                    log().toString(), "hold");
            assertTrue(holder.line().startsWith("holding "));
            Children.Child next = children.start(LockContender.class, state.toString(), "production", "run-2",
                    log().toString(), "brief");
            assertEquals("waiting run-1 " + holder.pid() + " ahead 1", next.line());
            // kill -9: the holder never releases.
            holder.process().destroyForcibly();
            holder.waitFor();
            assertTrue(next.line().startsWith("holding "));
            assertEquals("released", next.lineStartingWith("released"));
            assertEquals(0, next.waitFor());
        }
        // run-1 died holding the lock, so it never wrote its end.
        assertEquals(List.of("start run-1", "start run-2", "end run-2"),
                Files.readAllLines(log()).stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList());
    }
}
