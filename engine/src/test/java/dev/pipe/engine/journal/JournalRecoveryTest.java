package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipe.engine.journal.JournalEvent.JournalRepaired;
import dev.pipe.engine.journal.JournalEvent.RunFinished;
import dev.pipe.engine.journal.JournalEvent.RunResumed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading journals that a crash, a power loss or a newer pipe left behind. */
class JournalRecoveryTest {
    @TempDir
    Path dir;

    private byte[] journalOfEveryType() throws IOException {
        Path file = dir.resolve("whole.jsonl");
        try (Journal journal = Journal.create(file, UnaryOperator.identity(), Events.ticking())) {
            Events.oneOfEach().forEach(journal::append);
        }
        return Files.readAllBytes(file);
    }

    private static int lastLineStart(byte[] bytes) {
        int i = bytes.length - 2;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    @Test
    void aTornLastLineIsLeftOutWhereverItWasCut() throws IOException {
        byte[] whole = journalOfEveryType();
        List<JournalEvent> events = Events.oneOfEach();
        List<JournalEvent> allButLast = events.subList(0, events.size() - 1);
        int start = lastLineStart(whole);
        RunState expected = RunState.replay(JournalReader.parse(Arrays.copyOf(whole, start), "j").entries(), pid -> false);
        for (int cut = start; cut < whole.length; cut++) {
            JournalFile read = JournalReader.parse(Arrays.copyOf(whole, cut), "j");
            String at = "cut at byte " + cut + " of " + whole.length;
            assertEquals(allButLast, read.events(), at);
            assertEquals(start, read.validLength(), at);
            assertEquals(events.size() - 1, read.lastSeq(), at);
            if (cut == start) {
                assertTrue(read.torn().isEmpty(), at);
            } else {
                JournalFile.Torn torn = read.torn().orElseThrow(() -> new AssertionError(at + ": not seen as torn"));
                assertEquals(events.size(), torn.line(), at);
                assertEquals(start, torn.offset(), at);
                assertEquals(cut - start, torn.bytes(), at);
            }
            assertEquals(expected, RunState.replay(read.entries(), pid -> false), at);
        }
    }

    @Test
    void reopeningCutsATornLineRecordsItAndGoesOnNumbering() throws IOException {
        byte[] whole = journalOfEveryType();
        int start = lastLineStart(whole);
        int events = Events.oneOfEach().size();
        for (int cut = start; cut < whole.length; cut++) {
            Path file = dir.resolve("cut-" + cut + ".jsonl");
            Files.write(file, Arrays.copyOf(whole, cut));
            try (Journal journal = Journal.reopen(file, UnaryOperator.identity())) {
                assertEquals(cut > start, journal.repaired().isPresent(), "cut at " + cut);
                journal.append(new RunResumed(99));
            }
            JournalFile read = JournalReader.read(file);
            assertTrue(read.torn().isEmpty(), "cut at " + cut);
            List<JournalEvent> tail = read.events().subList(events - 1, read.events().size());
            if (cut == start) {
                assertEquals(List.of(new RunResumed(99)), tail);
            } else {
                assertEquals(List.of(new JournalRepaired(events, cut - start, "it does not end with a newline"),
                        new RunResumed(99)), tail, "cut at " + cut);
            }
            long[] seqs = read.entries().stream().mapToLong(JournalEntry::seq).toArray();
            for (int i = 0; i < seqs.length; i++) {
                assertEquals(i + 1, seqs[i], "seq goes on from the last whole line, cut at " + cut);
            }
        }
    }

    @Test
    void aLastLineOfGarbageIsTornEvenWithANewline() throws IOException {
        byte[] whole = journalOfEveryType();
        byte[] zeroed = Arrays.copyOf(whole, whole.length + 9);
        zeroed[zeroed.length - 1] = '\n';
        JournalFile read = JournalReader.parse(zeroed, "j");
        assertEquals(Events.oneOfEach(), read.events());
        assertEquals(whole.length, read.validLength());
        assertTrue(read.torn().orElseThrow().reason().startsWith("it is not JSON"), read.torn().toString());
    }

    @Test
    void aDamagedLineBeforeTheLastIsAnErrorNamingIt() throws IOException {
        String good = new String(journalOfEveryType(), StandardCharsets.UTF_8);
        List<String> lines = good.lines().toList();
        String damaged = String.join("\n", lines.subList(0, 3)) + "\n" + lines.get(3).substring(0, 20) + "\n"
                + String.join("\n", lines.subList(4, lines.size())) + "\n";
        JournalException e = assertThrows(JournalException.class,
                () -> JournalReader.parse(damaged.getBytes(StandardCharsets.UTF_8), "runs/x/journal.jsonl"));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("line 4 of runs/x/journal.jsonl is damaged: it is not JSON"), e.getMessage());

        Path file = dir.resolve("damaged.jsonl");
        Files.writeString(file, damaged);
        assertThrows(JournalException.class, () -> Journal.reopen(file, UnaryOperator.identity()));
        assertEquals(damaged, Files.readString(file), "a damaged journal is left as it is");
    }

    @Test
    void aValidJsonLineThatIsNoEventIsDamagedEvenAtTheEnd() {
        String text = "{\"seq\":1,\"at\":\"2026-11-22T05:15:30Z\",\"type\":\"step_started\",\"stage\":\"a\",\"step\":\"b\",\"attempt\":0}\n";
        JournalException e = assertThrows(JournalException.class,
                () -> JournalReader.parse(text.getBytes(StandardCharsets.UTF_8), "j"));
        assertTrue(e.getMessage().contains("not a valid `step_started` event (attempts count from 1, not 0)"),
                e.getMessage());
    }

    @Test
    void seqMustGoUp() {
        String text = """
                {"seq":1,"at":"2026-11-22T05:15:30Z","type":"run_cancelled"}
                {"seq":1,"at":"2026-11-22T05:15:30Z","type":"run_cancelled"}
                """;
        JournalException e = assertThrows(JournalException.class,
                () -> JournalReader.parse(text.getBytes(StandardCharsets.UTF_8), "j"));
        assertEquals("line 2 of j is damaged: its seq 1 does not follow seq 1. Only the last line may be torn;"
                + " this journal cannot be trusted.", e.getMessage());
    }

    @Test
    void unknownEventTypesAreSkippedWithAWarning() throws IOException {
        String text = """
                {"seq":1,"at":"2026-11-22T05:15:30Z","type":"stage_ready","stage":"deploy"}
                {"seq":2,"at":"2026-11-22T05:15:31Z","type":"approval_granted","stage":"deploy","by":"bob"}
                {"seq":3,"at":"2026-11-22T05:15:32Z","type":"stage_started","stage":"deploy"}
                {"seq":4,"at":"2026-11-22T05:15:33Z","type":"window_opened"}
                """;
        Path file = dir.resolve("newer.jsonl");
        Files.writeString(file, text);
        JournalFile read = JournalReader.read(file);
        assertEquals(List.of(new JournalEvent.StageReady("deploy"), new JournalEvent.StageStarted("deploy")),
                read.events());
        assertEquals(List.of(
                "line 2 of " + file + ": skipped an event of unknown type `approval_granted`; it was probably written by a newer pipe.",
                "line 4 of " + file + ": skipped an event of unknown type `window_opened`; it was probably written by a newer pipe."),
                read.warnings());
        assertEquals(4, read.lastSeq());
        try (Journal journal = Journal.reopen(file, UnaryOperator.identity())) {
            assertEquals(5, journal.append(new RunFinished(RunStatus.SUCCEEDED)).seq());
        }
    }

    @Test
    void anEmptyOrMissingJournal() throws IOException {
        JournalFile empty = JournalReader.parse(new byte[0], "j");
        assertEquals(List.of(), empty.entries());
        assertEquals(0, empty.lastSeq());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> JournalReader.read(dir.resolve("none.jsonl")));
    }
}
