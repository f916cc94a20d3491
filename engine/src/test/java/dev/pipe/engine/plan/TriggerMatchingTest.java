package dev.pipe.engine.plan;

import static dev.pipe.engine.plan.Plans.TUESDAY_10_NY;
import static dev.pipe.engine.plan.Plans.plan;
import static dev.pipe.engine.plan.Plans.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerMatchingTest {
    private static final String STAGES = """
            stage build { step "b" { sh "make" } }
            stage ship { needs [build] step "s" { sh "ship" } }
            """;

    private static final String FILTERED = """
            pipeline t
            on push branches ["main", "develop", "feature/**"] paths ["src/**", "package.json"]
            on push tags ["v*.*.*"]
            on pull_request branches ["main"]
            """ + STAGES;

    private static List<String> reasons(Plan plan) {
        return plan.stages().get(0).reasons();
    }

    private static boolean allRun(Plan plan) {
        return plan.stages().stream().allMatch(s -> s.status() == PlanStage.Status.RUN);
    }

    private static boolean allSkip(Plan plan) {
        return plan.stages().stream().allMatch(s -> s.status() == PlanStage.Status.SKIP);
    }

    @Test
    void branchPushMatchesBranchesFilter() {
        Plan p = plan(FILTERED, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("feature/a/b")
                .changed(List.of("src/x.js")).build());
        assertTrue(allRun(p));
        assertEquals("`on push` at line 2 (branches main, develop, feature/**; paths src/**, package.json)", p.trigger());
        assertEquals(List.of(), p.notes());
    }

    @Test
    void unmatchedBranchSkipsEveryStageAndNamesTheTriggers() {
        Plan p = plan(FILTERED, push("release/1.0"));
        assertTrue(allSkip(p));
        assertNull(p.trigger());
        assertEquals(List.of("no trigger matches a push to `release/1.0`: `on push` at line 2 accepts branches main, "
                + "develop, feature/**; `on push` at line 3 accepts only tags v*.*.*"), reasons(p));
        assertEquals(reasons(p), p.stages().get(1).reasons(), "the dependant gives the same reason, not 'needs build'");
    }

    @Test
    void unknownChangedFilesDoNotFilterButSaySo() {
        Plan p = plan(FILTERED, push("main"));
        assertTrue(allRun(p));
        assertEquals(List.of("the changed files are not known, so the paths filter of `on push` at line 2 was not "
                + "applied; pass --changed PATH to apply it"), p.notes());
    }

    @Test
    void changedFilesOutsidePathsSkip() {
        Plan p = plan(FILTERED, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .changed(List.of("docs/readme.md")).build());
        assertTrue(allSkip(p));
        assertEquals(List.of("no trigger matches a push to `main`: `on push` at line 2 accepts `main` but only when a "
                + "changed file matches paths src/**, package.json (changed files: docs/readme.md); `on push` at line 3 "
                + "accepts only tags v*.*.*"), reasons(p));
    }

    @Test
    void pathsIgnoreAloneSkipsWhenEveryFileIsIgnored() {
        String text = "pipeline t\non push paths_ignore [\"docs/**\"]\n" + STAGES;
        EventContext docsOnly = EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .changed(List.of("docs/a.md", "docs/b/c.md")).build();
        assertTrue(allSkip(plan(text, docsOnly)));
        assertTrue(reasons(plan(text, docsOnly)).get(0).contains("ignores changes to docs/**"));
        EventContext mixed = EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .changed(List.of("docs/a.md", "src/a.js")).build();
        assertTrue(allRun(plan(text, mixed)));
    }

    @Test
    void pathsAndPathsIgnoreTogether() {
        String text = "pipeline t\non push paths [\"src/**\"] paths_ignore [\"src/**/*.md\"]\n" + STAGES;
        assertTrue(allSkip(plan(text, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .changed(List.of("src/a/readme.md")).build())));
        assertTrue(allRun(plan(text, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main")
                .changed(List.of("src/a/readme.md", "src/a/b.js")).build())));
    }

    @Test
    void tagPushMatchesTagsFilterAndIgnoresPaths() {
        Plan p = plan(FILTERED, EventContext.tag("v1.2.3", TUESDAY_10_NY));
        assertTrue(allRun(p));
        assertEquals("`on push` at line 3 (tags v*.*.*)", p.trigger());
        Plan other = plan(FILTERED, EventContext.tag("nightly", TUESDAY_10_NY));
        assertEquals(List.of("no trigger matches a push of tag `nightly`: `on push` at line 2 accepts only branches "
                + "main, develop, feature/**; `on push` at line 3 accepts tags v*.*.*"), reasons(other));
        String withPaths = "pipeline t\non push tags [\"v*\"] paths [\"src/**\"]\n" + STAGES;
        Plan noted = plan(withPaths, EventContext.builder(EventKind.TAG, TUESDAY_10_NY).tag("v1")
                .changed(List.of("docs/x")).build());
        assertTrue(allRun(noted));
        assertEquals(List.of("the paths filters of `on push` at line 2 do not apply to tag pushes"), noted.notes());
    }

    @Test
    void pushWithoutFiltersAcceptsBranchesAndTags() {
        String text = "pipeline t\non push\n" + STAGES;
        assertTrue(allRun(plan(text, push("anything/at/all"))));
        assertTrue(allRun(plan(text, EventContext.tag("x", TUESDAY_10_NY))));
    }

    @Test
    void pullRequestMatchesItsTargetBranch() {
        assertTrue(allRun(plan(FILTERED, EventContext.pullRequest("main", TUESDAY_10_NY))));
        Plan p = plan(FILTERED, EventContext.pullRequest("develop", TUESDAY_10_NY));
        assertEquals(List.of("no trigger matches a pull request into `develop`: `on pull_request` at line 4 accepts "
                + "pull requests into main"), reasons(p));
    }

    @Test
    void manualAndScheduleNeedTheirTrigger() {
        assertEquals(List.of("no trigger matches a manual run: the pipeline has no `on manual` trigger"),
                reasons(plan(FILTERED, EventContext.manual(null, TUESDAY_10_NY))));
        assertEquals(List.of("no trigger matches a scheduled run: the pipeline has no `on schedule` trigger"),
                reasons(plan(FILTERED, EventContext.schedule(TUESDAY_10_NY))));
        String text = "pipeline t\non manual\non schedule \"0 2 * * *\" tz \"UTC\"\n" + STAGES;
        assertTrue(allRun(plan(text, EventContext.manual(null, TUESDAY_10_NY))));
        Plan scheduled = plan(text, EventContext.schedule(TUESDAY_10_NY));
        assertTrue(allRun(scheduled));
        assertEquals("`on schedule \"0 2 * * *\"` at line 3 (tz UTC)", scheduled.trigger());
    }

    @Test
    void eventsWithoutTheirBranchOrTagAreUsageErrors() {
        assertEquals("a push needs the pushed branch: pass --branch NAME",
                org.junit.jupiter.api.Assertions.assertThrows(PlanException.class,
                        () -> plan(FILTERED, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).build())).getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(PlanException.class,
                () -> plan(FILTERED, EventContext.builder(EventKind.TAG, TUESDAY_10_NY).build()));
        org.junit.jupiter.api.Assertions.assertThrows(PlanException.class,
                () -> plan(FILTERED, EventContext.builder(EventKind.PUSH, TUESDAY_10_NY).branch("main").tag("v1").build()));
    }

    @Test
    void eventKeywordsParseWithSuggestions() {
        assertEquals(EventKind.PULL_REQUEST, EventKind.parse("pull_request"));
        PlanException e = org.junit.jupiter.api.Assertions.assertThrows(PlanException.class, () -> EventKind.parse("pusj"));
        assertEquals("`pusj` is not an event pipe knows; did you mean `push`? The events are push, tag, pull_request, "
                + "manual and schedule.", e.getMessage());
    }
}
