/**
 * The local runner: {@link dev.pipe.runner.local.LocalExecutor} runs a step's command as a
 * process on this machine and makes sure that everything the command started ends with it.
 * {@code Spawner} (with {@code spawner.pl}) starts commands through a Perl helper and
 * {@code SpawnedShell} follows one of them; {@code Launched.OfProcess} is the JVM's way.
 * {@code ProcTable} reads Linux's /proc, {@code ProcessTree} finds and terminates a command's
 * processes, {@code OutputPump} streams their output, {@code Shells} builds the command line.
 */
package dev.pipe.runner.local;
