package dev.pipe.cli;

/** A failure to report as one line on stderr with a given exit code; never a stack trace. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(Exit.USAGE, message);
    }
}
