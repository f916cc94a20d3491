package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.JournalEvent.RunFinished;
import dev.pipe.engine.journal.JournalEvent.StepFinished;
import dev.pipe.engine.journal.JournalEvent.StepStarted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing journals: the line format, every event type, masking and concurrent appends. */
class JournalTest {
    @TempDir
    Path dir;

    @Test
    void everyEventTypeRoundTrips() throws IOException {
        List<JournalEvent> events = Events.oneOfEach();
        Set<String> covered = new TreeSet<>();
        events.forEach(e -> covered.add(JournalCodec.typeName(e)));
        assertEquals(new TreeSet<>(JournalCodec.typeNames()), covered, "the samples miss an event type");

        Path file = dir.resolve("journal.jsonl");
        List<JournalEntry> appended = new ArrayList<>();
        try (Journal journal = Journal.create(file, UnaryOperator.identity(), Events.ticking())) {
            events.forEach(e -> appended.add(journal.append(e)));
        }
        JournalFile read = JournalReader.read(file);
        assertEquals(appended, read.entries());
        assertEquals(events, read.events());
        assertEquals(List.of(), read.warnings());
        assertTrue(read.torn().isEmpty());
        assertEquals(events.size(), read.lastSeq());
        assertEquals(Files.size(file), read.validLength());
    }

    @Test
    void aLineIsCompactJsonWithTheEnvelopeFirst() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.create(file, UnaryOperator.identity(), Events.ticking())) {
            journal.append(new StepStarted("test[node=18]", "run tests", 1));
            journal.append(new StepFinished("build", "compile", 1, 0, StepOutcome.TIMED_OUT, 5, Map.of(), null));
        }
        assertEquals("""
                {"seq":1,"at":"2026-11-22T05:15:30.250Z","type":"step_started","stage":"test[node=18]","step":"run tests","attempt":1}
                {"seq":2,"at":"2026-11-22T05:15:31.250Z","type":"step_finished","stage":"build","step":"compile","attempt":1,"exit_code":0,"outcome":"timed_out","duration_ms":5}
                """, Files.readString(file));
    }

    @Test
    void theMaskerSeesEveryStringValue() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        UnaryOperator<String> masker = s -> s.replace("hunter2", "***");
        try (Journal journal = Journal.create(file, masker)) {
            journal.append(new StepFinished("deploy", "push hunter2", 1, 1, StepOutcome.FAILED, 10,
                    Map.of("token", "x-hunter2-y", "plain", "ok"), "curl said hunter2 was wrong"));
            journal.append(new JournalEvent.RunCancelled("hunter2"));
        }
        String text = Files.readString(file);
        assertFalse(text.contains("hunter2"), text);
        List<JournalEvent> events = JournalReader.read(file).events();
        StepFinished step = (StepFinished) events.get(0);
        assertEquals("push ***", step.step());
        assertEquals(Map.of("token", "x-***-y", "plain", "ok"), step.outputs());
        assertEquals("curl said *** was wrong", step.reason());
        assertEquals(new JournalEvent.RunCancelled("***"), events.get(1));
    }

    @Test
    void createRefusesAnExistingFile() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, "");
        assertThrows(FileAlreadyExistsException.class, () -> Journal.create(file, UnaryOperator.identity()));
    }

    @Test
    void aClosedJournalRefusesAppends() throws IOException {
        Journal journal = Journal.create(dir.resolve("journal.jsonl"), UnaryOperator.identity());
        journal.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> journal.append(new RunFinished(RunStatus.SUCCEEDED)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void eventsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RunFinished(RunStatus.RUNNING));
        assertThrows(IllegalArgumentException.class, () -> new StepStarted("a", "b", 0));
        assertThrows(IllegalArgumentException.class,
                () -> new StepFinished("a", "b", 1, 0, StepOutcome.SKIPPED, 0, Map.of(), null));
        assertThrows(NullPointerException.class, () -> new JournalEvent.StageReady(null));
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerFieldsDoNotBreakOlderReaders() {
        String line = "{\"seq\":1,\"at\":\"2026-11-22T05:15:30Z\",\"type\":\"stage_ready\",\"stage\":\"a\",\"gate\":\"window\"}\n";
        JournalFile read = JournalReader.parse(line.getBytes(StandardCharsets.UTF_8), "j");
        assertEquals(List.of(new JournalEvent.StageReady("a")), read.events());
    }

    @Test
    void concurrentAppendsGiveAValidJournalWithUniqueIncreasingSeq() throws Exception {
        Path file = dir.resolve("journal.jsonl");
        int threads = 16;
        int perThread = 200;
        CountDownLatch go = new CountDownLatch(1);
        try (Journal journal = Journal.create(file, s -> s.replace("secret", "***"));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        seqs.add(journal.append(new StepStarted("stage " + thread, "step secret " + i, 1)).seq());
                    }
                    return seqs;
                }));
            }
            go.countDown();
            Set<Long> all = new HashSet<>();
            for (var f : futures) {
                List<Long> seqs = f.get();
                for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "one thread's appends are numbered in order");
                }
                all.addAll(seqs);
            }
            assertEquals(threads * perThread, all.size(), "every seq is unique");
            assertEquals(threads * perThread, journal.lastSeq());
        }
        JournalFile read = JournalReader.read(file);
        assertEquals(threads * perThread, read.entries().size());
        assertTrue(read.torn().isEmpty());
        long[] seqs = read.entries().stream().mapToLong(JournalEntry::seq).toArray();
        long[] expected = new long[seqs.length];
        Arrays.setAll(expected, i -> i + 1);
        assertTrue(Arrays.equals(expected, seqs), "the file holds seq 1..N in order");
        Set<String> steps = new HashSet<>();
        for (JournalEvent e : read.events()) {
            StepStarted s = (StepStarted) e;
            assertTrue(steps.add(s.stage() + "/" + s.step()), "no line is duplicated: " + s);
            assertFalse(s.step().contains("secret"));
        }
        assertEquals(threads * perThread, steps.size());
    }
}
