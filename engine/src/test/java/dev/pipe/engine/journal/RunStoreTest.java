package dev.pipe.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run ids, run directories and finding a run by the start of its id. */
class RunStoreTest {
    @TempDir
    Path repo;

    @Test
    void idsSortByTimeToTheMillisecond() {
        Random random = new Random(1);
        Instant t = Instant.parse("2026-11-22T05:15:30.007Z");
        String id = RunIds.next(t, random);
        assertTrue(id.matches("20261122-051530-[0-9a-hjkmnp-tv-z]{4}"), id);
        assertEquals(t, RunIds.createdAt(id));
        String previous = RunIds.next(t.minusMillis(1), random);
        for (int ms = 0; ms < 3000; ms++) {
            String next = RunIds.next(t.plusMillis(ms), random);
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            assertEquals(t.plusMillis(ms), RunIds.createdAt(next));
            previous = next;
        }
        assertTrue(RunIds.isValid(id));
        for (String bad : List.of("20261122-051530-3kxi", "20261122-051530-3kx", "2026-11-22", "20261322-051530-3kx9",
                "20261122-051530-zzzz")) {
            assertTrue(!RunIds.isValid(bad), bad);
        }
    }

    @Test
    void aRunDirectoryHasItsFiles() throws IOException {
        RunStore store = RunStore.forRepository(repo);
        RunDir run = store.create();
        assertEquals(repo.resolve(".pipe/runs").resolve(run.id()), run.dir());
        assertTrue(Files.isDirectory(run.dir()));
        assertEquals(run.dir().resolve("journal.jsonl"), run.journal());
        assertEquals(run.dir().resolve("plan.json"), run.plan());
        assertEquals(run.dir().resolve("lock"), run.lock());
        assertEquals(run.dir().resolve("logs/test%5Bnode=18%5D/run%20tests.log"), run.log("test[node=18]", "run tests"));
        Path log = run.prepareLog("test[node=18]", "run tests");
        assertTrue(Files.isDirectory(log.getParent()));
        assertEquals(RunStatus.INTERRUPTED, run.state().status(), "no journal yet");
        try (Journal journal = Journal.create(run.journal(), UnaryOperator.identity())) {
            journal.append(Events.started(ProcessHandle.current().pid()));
        }
        assertEquals(RunStatus.RUNNING, run.state().status());
        assertEquals(List.of(run), store.list());
    }

    @Test
    void theRunsOfConcurrentCreatorsAllHaveTheirOwnDirectory() throws Exception {
        RunStore store = RunStore.forRepository(repo);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> creators = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int t = 0; t < 2; t++) {
                creators.add(pool.submit(() -> {
                    go.await();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        ids.add(store.create().id());
                    }
                    return ids;
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<List<String>> f : creators) {
                ids.addAll(f.get());
            }
            assertEquals(1000, ids.size());
            assertEquals(ids, new HashSet<>(store.list().stream().map(RunDir::id).toList()));
        }
    }

    @Test
    void clashingIdsAreRetried() throws IOException {
        // A stopped clock: every run is created in the same millisecond.
        Clock stopped = Clock.fixed(Instant.parse("2026-11-22T05:15:30.123Z"), ZoneOffset.UTC);
        RunStore store = new RunStore(repo.resolve(".pipe"), stopped, new Random(7));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            ids.add(store.create().id());
        }
        assertEquals(300, ids.size());
    }

    private static RunStore storeAt(Path stateDir, String... times) {
        List<Instant> instants = new ArrayList<>();
        for (String t : times) {
            instants.add(Instant.parse(t));
        }
        var next = instants.iterator();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return next.next();
            }
        };
        return new RunStore(stateDir, clock, new Random(3));
    }

    @Test
    void listingIsNewestFirstAndFindingTakesAPrefix() throws IOException {
        RunStore store = storeAt(repo.resolve(".pipe"), "2026-11-22T05:15:30Z", "2026-11-22T05:20:00Z",
                "2026-11-23T09:00:00Z");
        assertEquals(List.of(), store.list());
        assertTrue(store.latest().isEmpty());
        RunDir a = store.create();
        RunDir b = store.create();
        RunDir c = store.create();
        Files.createDirectories(store.runsDir().resolve("not-a-run"));
        Files.writeString(store.runsDir().resolve("20261124-000000-0000"), "a file, not a run");

        assertEquals(List.of(c, b, a), store.list());
        assertEquals(c, store.latest().orElseThrow());
        assertEquals(a, store.find(a.id()));
        assertEquals(c, store.find("20261123"));
        assertEquals(b, store.find("20261122-0520"));
        assertEquals(a, store.find("  " + a.id().toUpperCase() + " "));

        RunLookupException ambiguous = assertThrows(RunLookupException.class, () -> store.find("20261122-05"));
        assertEquals("`20261122-05` fits 2 runs: `" + b.id() + "` and `" + a.id() + "`; give more of the id.",
                ambiguous.getMessage());

        String typo = a.id().substring(0, 10) + "6" + a.id().substring(11);
        RunLookupException unknown = assertThrows(RunLookupException.class, () -> store.find(typo));
        assertEquals("there is no run `" + typo + "` in " + store.runsDir() + "; did you mean `" + a.id()
                + "`? `pipe runs` lists them.", unknown.getMessage());

        RunLookupException prefix = assertThrows(RunLookupException.class, () -> store.find("20261182"));
        assertEquals("there is no run `20261182` in " + store.runsDir() + "; did you mean `20261122`? `pipe runs` lists them.",
                prefix.getMessage());

        RunLookupException far = assertThrows(RunLookupException.class, () -> store.find("latest"));
        assertEquals("there is no run `latest` in " + store.runsDir() + "; `pipe runs` lists them.", far.getMessage());
        assertThrows(RunLookupException.class, () -> store.find(" "));
    }

    @Test
    void findingInAnEmptyStoreSaysThereAreNoRuns() {
        RunStore store = RunStore.forRepository(repo);
        RunLookupException e = assertThrows(RunLookupException.class, () -> store.find("2026"));
        assertEquals("there is no run `2026`: " + store.runsDir() + " holds no runs yet.", e.getMessage());
    }
}
