package dev.pipe.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code pipe} command. {@link #run} is the seam tests use: streams and environment in,
 * exit code out. This class is the one place that maps failures to exit codes.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(out, err, System.getenv(), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command. The work happens on a thread with a generous stack so that the recursive
     * phases (parser, checker, formatter) behave the same in tests and in the real command.
     */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        int[] code = {Exit.INTERNAL};
        Thread t = new Thread(null, () -> code[0] = execute(out, err, env, args), "pipe", 256L << 20);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return code[0];
    }

    private static int execute(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        Cli cli = new Cli(out, err, env);
        CommandLine cmd = new CommandLine(new PipeCommand(cli));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            err.println("pipe: " + ex.getMessage());
            err.println("Run `" + c.getCommandSpec().qualifiedName() + " --help` for usage.");
            return Exit.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof CliException e) {
                err.println("pipe: " + e.getMessage());
                return e.exitCode();
            }
            err.println("pipe: internal error: " + ex + " (this is a bug in pipe; please report it with the input that caused it)");
            if (env.containsKey("PIPE_DEBUG")) {
                ex.printStackTrace(err);
            }
            return Exit.INTERNAL;
        });
        try {
            return cmd.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            err.println("pipe: internal error: " + e + " (the input is too large or too deep)");
            return Exit.INTERNAL;
        }
    }

    /** What every command gets: where to print and the environment. */
    public record Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    }
}
