package dev.pipe.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a command for people: the launcher's training run for the class-data archive. It runs
 * several pipe commands in one JVM, their output discarded, so that the archive made at its exit
 * holds the classes of all of them (the parser, checker and planner, the plan's renderings, and
 * the engine, journal and local runner of a real run), whichever command a user runs first.
 *
 * <p>usage: {@code java -XX:ArchiveClassesAtExit=A -cp pipe.jar dev.pipe.cli.Train ARGS [+ ARGS]...}
 * where each {@code ARGS} is one pipe command line and {@code +} separates them.
 */
public final class Train {
    private Train() {
    }

    public static void main(String[] args) {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals("+")) {
                if (!command.isEmpty()) {
                    Main.run(none, none, System.getenv(), command.toArray(String[]::new));
                }
                command.clear();
            } else {
                command.add(args[i]);
            }
        }
        System.exit(0);
    }
}
