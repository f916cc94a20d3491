package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.pipe.engine.journal.Journal.Durability;
import dev.pipe.engine.journal.JournalEvent.RunFinished;
import dev.pipe.engine.journal.JournalEvent.StageStarted;
import dev.pipe.engine.journal.JournalEvent.StepStarted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the journal forces its file to disk (see {@link Journal}): forced events before append
 * returns, written ones by the background thread soon after, everything on close. A counting
 * forcer stands in for the disk and notes how long the file was at each force.
 */
class JournalForcingTest {
    /** Long enough that the background thread never forces during a test that does not wait for it. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    /** Notes the file's length at every force. */
    private static final class CountingForcer implements Journal.Forcer {
        final List<Long> forcedLengths = Collections.synchronizedList(new ArrayList<>());

        @Override
        public synchronized void force(FileChannel channel) throws IOException {
            channel.force(true);
            forcedLengths.add(channel.size());
            notifyAll();
        }

        int count() {
            return forcedLengths.size();
        }

        long last() {
            return forcedLengths.get(forcedLengths.size() - 1);
        }

        /** Waits until a force has covered the first {@code length} bytes; false after 10 seconds. */
        synchronized boolean awaitForced(long length) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (forcedLengths.isEmpty() || last() < length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    private Journal journal(Duration interval, Journal.Forcer forcer) throws IOException {
        return Journal.create(dir.resolve("journal.jsonl"), UnaryOperator.identity(), Events.ticking(),
                new Journal.Forcing(interval, forcer));
    }

    private long size() throws IOException {
        return Files.size(dir.resolve("journal.jsonl"));
    }

    @Test
    void runAndDeploymentEventsAreForcedAndStageAndStepEventsOnlyWritten() {
        for (JournalEvent event : Events.oneOfEach()) {
            boolean written = event instanceof JournalEvent.StageReady || event instanceof JournalEvent.StageStarted
                    || event instanceof JournalEvent.StageFinished || event instanceof JournalEvent.StepStarted
                    || event instanceof JournalEvent.StepFinished || event instanceof JournalEvent.StepSkipped
                    || event instanceof JournalEvent.VerifyTry;
            assertEquals(written ? Durability.WRITTEN : Durability.FORCED, Journal.durabilityOf(event), event.toString());
        }
    }

    @Test
    void aForcedEventIsOnDiskBeforeAppendReturns() throws IOException {
        CountingForcer forcer = new CountingForcer();
        try (Journal journal = journal(NEVER, forcer)) {
            journal.append(Events.started(42));
            assertEquals(1, forcer.count());
            assertEquals(size(), forcer.last(), "the force came after the whole line was written");

            journal.append(new StageStarted("deploy"), Durability.FORCED);
            assertEquals(2, forcer.count(), "a caller can ask for any event to be forced");
            assertEquals(size(), forcer.last());
        }
    }

    @Test
    void aWrittenEventIsInTheFileWhenAppendReturnsButNotForcedYet() throws IOException {
        CountingForcer forcer = new CountingForcer();
        try (Journal journal = journal(NEVER, forcer)) {
            journal.append(new StepStarted("build", "compile", 1));
            // Another reader of the file (a resume after kill -9) sees the line at once.
            assertEquals(List.of(new StepStarted("build", "compile", 1)), JournalReader.read(journal.file()).events());
            assertEquals(0, forcer.count());
        }
    }

    @Test
    void aForcedEventAlsoForcesTheWrittenLinesBeforeIt() throws IOException {
        CountingForcer forcer = new CountingForcer();
        try (Journal journal = journal(NEVER, forcer)) {
            journal.append(new StageStarted("build"));
            journal.append(new StepStarted("build", "compile", 1));
            journal.append(new RunFinished(RunStatus.SUCCEEDED));
            assertEquals(List.of(size()), forcer.forcedLengths, "one force covered all three lines");
        }
    }

    @Test
    void theBackgroundThreadForcesWrittenLinesSoonAfter() throws Exception {
        CountingForcer forcer = new CountingForcer();
        try (Journal journal = journal(Duration.ofMillis(5), forcer)) {
            journal.append(new StageStarted("build"));
            journal.append(new StepStarted("build", "compile", 1));
            assertTrue(forcer.awaitForced(size()), "the background thread never forced both lines: " + forcer.forcedLengths);
            assertEquals(2, journal.lastSeq());
        }
    }

    @Test
    void closeForcesWhatIsNotForcedYetOnce() throws IOException {
        CountingForcer forcer = new CountingForcer();
        Journal journal = journal(NEVER, forcer);
        for (int i = 1; i <= 100; i++) {
            journal.append(new StepStarted("build", "step " + i, 1));
        }
        assertEquals(0, forcer.count());
        journal.close();
        assertEquals(List.of(size()), forcer.forcedLengths, "the lines written since the last force share one force");
        journal.close();
        assertEquals(1, forcer.count(), "closing twice forces once");
    }

    @Test
    void closeDoesNotForceWhenEverythingIsForcedAlready() throws IOException {
        CountingForcer forcer = new CountingForcer();
        Journal journal = journal(NEVER, forcer);
        journal.append(new StepStarted("build", "compile", 1));
        journal.append(new RunFinished(RunStatus.SUCCEEDED));
        journal.close();
        assertEquals(1, forcer.count());
    }

    @Test
    void aFailedBackgroundForceFailsTheAppendsAfterIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Journal.Forcer failing = channel -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("the disk is gone");
        };
        try (Journal journal = journal(Duration.ZERO, failing)) {
            journal.append(new StepStarted("build", "compile", 1));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the background thread never forced");
            release.countDown();
            // A forced append waits for the failing background force, then refuses.
            JournalException forced = assertThrows(JournalException.class,
                    () -> journal.append(new RunFinished(RunStatus.SUCCEEDED)));
            assertTrue(forced.getMessage().contains("the disk is gone"), forced.getMessage());
            JournalException written = assertThrows(JournalException.class,
                    () -> journal.append(new StepStarted("build", "compile", 2)));
            assertTrue(written.getMessage().contains("could not be written earlier: the disk is gone"), written.getMessage());
        }
    }

    @Test
    void reopenForcesTheResumeBeforeReturning() throws IOException {
        try (Journal journal = journal(NEVER, new CountingForcer())) {
            journal.append(Events.started(42));
            journal.append(new StepStarted("build", "compile", 1));
        }
        CountingForcer forcer = new CountingForcer();
        try (Journal journal = Journal.reopen(dir.resolve("journal.jsonl"), UnaryOperator.identity(), Events.ticking(),
                new Journal.Forcing(NEVER, forcer))) {
            journal.append(new JournalEvent.RunResumed(43));
            assertEquals(List.of(size()), forcer.forcedLengths);
        }
    }

    /**
     * The codec writes events straight to text through a masking generator; it must mask exactly
     * what masking every text value of the event's JSON tree would, and lay fields out the same.
     */
    @Test
    void theCodecMasksEveryStringValueAsATreeWalkWould() throws IOException {
        UnaryOperator<String> masker = s -> "<" + s + ">";
        for (JournalEvent event : Events.oneOfEach()) {
            ObjectNode expected = JournalCodec.MAPPER.createObjectNode();
            expected.put("type", JournalCodec.typeName(event));
            expected.setAll((ObjectNode) maskTree(JournalCodec.MAPPER.valueToTree(event), masker));
            String body = JournalCodec.body(event, masker);
            assertEquals(JournalCodec.MAPPER.writeValueAsString(expected), body);
        }
        assertEquals("{\"type\":\"run_resumed\",\"pid\":7}", JournalCodec.body(new JournalEvent.RunResumed(7), masker));
    }

    private static JsonNode maskTree(JsonNode node, UnaryOperator<String> masker) {
        if (node instanceof TextNode text) {
            return TextNode.valueOf(masker.apply(text.textValue()));
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                object.set(field.getKey(), maskTree(field.getValue(), masker));
            }
        }
        return node;
    }
}
