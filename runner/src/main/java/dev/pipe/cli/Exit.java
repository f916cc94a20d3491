package dev.pipe.cli;

/** pipe's exit codes, documented in docs/cli.md. */
public final class Exit {
    /** Success: no errors (warnings allowed), files formatted, plan printed. */
    public static final int OK = 0;
    /** The input has errors (diagnostics, unreadable content), `fmt --check` found unformatted files. */
    public static final int ERRORS = 1;
    /** The command line is wrong: unknown option, bad value, a path that is not a file. */
    public static final int USAGE = 2;
    /**
     * A run paused at an approval gate: nobody could approve it now (no terminal, no
     * {@code --wait}). {@code pipe approve} and {@code pipe resume} continue it.
     */
    public static final int WAITING = 3;
    /** A deployment failed and so did its rollback: the environment may be in neither state. */
    public static final int ROLLBACK_FAILED = 4;
    /** A run was cancelled (Ctrl-C, SIGTERM), like a shell's 128 + SIGINT. */
    public static final int CANCELLED = 130;
    /** A bug in pipe: an unexpected exception. The message asks for a report. */
    public static final int INTERNAL = 70;

    private Exit() {
    }
}
