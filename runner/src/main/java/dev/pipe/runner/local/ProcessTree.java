package dev.pipe.runner.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one command started, terminated as one unit.
 *
 * <p>The command's shell leads its own session (the spawner or {@code setsid} saw to it), and
 * every process it creates stays in that session unless it calls {@code setsid} itself, whatever
 * process group it moves to. So the members are: the processes of the session; the shell's
 * descendants while it runs (which also finds children that made their own session); and any
 * process created since the command started that still holds the command's stdout or stderr
 * pipe (a double-forked daemon that kept its output). Without /proc or setsid only the shell's
 * descendants while it runs are known.
 *
 * <p>The shell need not be pipe's child: the spawner starts it, and the tree works from its pid.
 * The spawner itself holds the read end of every command's pipes, and a child it has just forked
 * holds copies of them until it execs (and sits in pipe's session until it calls setsid): neither
 * is ever a member.
 */
final class ProcessTree {
    /** Sessions of the commands running in this JVM: their processes are not another command's pipe holders. */
    private static final Set<Long> RUNNING_SESSIONS = ConcurrentHashMap.newKeySet();
    private static final long SELF = ProcessHandle.current().pid();
    /** pipe's own session: a process in it is pipe itself starting another step, never a leftover of this one. */
    private static final long SELF_SESSION = ProcTable.stat(SELF).map(ProcTable.Stat::session).orElse(-1L);

    private final Launched main;
    private final long pid;
    /** The spawner that started the shell, or -1. */
    private final long helper;
    private final boolean ownSession;
    private final ProcTable.Mark mark;
    private final List<String> pipes;
    private final Map<Long, ProcessHandle> known = new LinkedHashMap<>();
    private boolean interrupted;

    /** {@code mark} was taken just before {@code main} started. */
    ProcessTree(Launched main, boolean ownSession, ProcTable.Mark mark) {
        this.main = main;
        this.pid = main.pid();
        this.helper = main.helper();
        this.ownSession = ownSession;
        this.mark = mark;
        this.pipes = ownSession ? main.pipes() : List.of();
    }

    /** A command's session is running: its processes are not another command's pipe holders. */
    static void running(long session) {
        RUNNING_SESSIONS.add(session);
    }

    /** The command that led {@code session} is over. */
    static void released(long session) {
        RUNNING_SESSIONS.remove(session);
    }

    /** The live members now, and remembers them so that they are watched until they end. */
    List<ProcessHandle> members() {
        Map<Long, ProcessHandle> live = new LinkedHashMap<>();
        ProcessHandle handle = main.handle();
        if (handle != null && main.running()) {
            live.put(pid, handle);
            handle.descendants().forEach(d -> live.putIfAbsent(d.pid(), d));
        }
        // No pid: the shell never started, so nothing can be in its session.
        if (ownSession && pid >= 0) {
            for (long p : ProcTable.createdSince(mark, pid)) {
                if (p == pid || p == SELF || p == helper || live.containsKey(p)) {
                    continue;
                }
                Optional<ProcTable.Stat> stat = ProcTable.stat(p);
                // A child of pipe, or of the spawner, is another step's shell being started: until it
                // execs it holds copies of every pipe its parent has open, this step's included. One
                // still in pipe's session has not even called setsid yet.
                if (stat.isPresent() && !stat.get().zombie() && stat.get().ppid() != SELF
                        && (helper < 0 || stat.get().ppid() != helper)
                        && stat.get().session() != SELF_SESSION
                        && (stat.get().session() == pid || holdsOutput(stat.get()))) {
                    ProcessHandle.of(p).ifPresent(h -> live.put(p, h));
                }
            }
        }
        for (ProcessHandle h : known.values()) {
            if (!live.containsKey(h.pid()) && alive(h)) {
                live.put(h.pid(), h);
            }
        }
        known.putAll(live);
        return List.copyOf(live.values());
    }

    /**
     * SIGTERM to every member, then SIGKILL to whatever is still alive after {@code grace},
     * repeated until nothing is left. A process handle signals only the process it was made
     * for (it compares start times), so an id reused meanwhile is safe.
     */
    void terminate(Duration grace) {
        members().forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        long pause = 2;
        while (!members().isEmpty() && System.nanoTime() < deadline) {
            pause(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            pause = Math.min(pause * 2, 50);
        }
        // A process in uninterruptible sleep dies only when it wakes; give up after a while.
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ProcessHandle> left;
        pause = 1;
        while (!(left = members()).isEmpty() && System.nanoTime() < giveUp) {
            left.forEach(ProcessHandle::destroyForcibly);
            pause(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    private boolean holdsOutput(ProcTable.Stat stat) {
        if (pipes.isEmpty() || RUNNING_SESSIONS.contains(stat.session())) {
            return false;
        }
        for (String target : ProcTable.openFiles(stat.pid())) {
            if (pipes.contains(target)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code h} runs: neither gone nor a zombie. */
    static boolean alive(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        return ProcTable.stat(h.pid()).map(s -> !s.zombie()).orElse(!ProcTable.available());
    }

    /** Whether the thread was interrupted while waiting for members to end (the flag is cleared). */
    boolean interrupted() {
        return interrupted;
    }

    /** Sleeps without giving up on an interrupt: the processes must be gone before anyone goes on. */
    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            interrupted = true;
        }
    }
}
