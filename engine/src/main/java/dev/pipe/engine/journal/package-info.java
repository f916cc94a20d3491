/**
 * Durable runs: the run store, the journal and replaying it.
 *
 * <p>A run lives in {@code .pipe/runs/<id>/} ({@link dev.pipe.engine.journal.RunStore},
 * {@link dev.pipe.engine.journal.RunDir}). The process driving it holds its
 * {@link dev.pipe.engine.journal.RunLock} and records every state change with
 * {@link dev.pipe.engine.journal.Journal#append} <em>before</em> acting on it; append returns
 * once the line is written to the file (and, for run-level events, forced to disk). Whatever
 * happens to the process afterwards (kill -9, a crash),
 * {@link dev.pipe.engine.journal.JournalReader} reads back every event that was appended,
 * leaving out at most a torn last line, and {@link dev.pipe.engine.journal.RunState#replay}
 * turns the events into what each stage and step did, which is what {@code pipe status} shows
 * and what {@code pipe resume} continues from; after a power loss, the stage and step events of
 * the last few milliseconds may be missing (see {@link dev.pipe.engine.journal.Journal}).
 * docs/runs.md describes the layout, the events and the resume rules for people.
 */
package dev.pipe.engine.journal;
