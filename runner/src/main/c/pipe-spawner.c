/*
 * pipe-spawner, native edition: starts the commands of one pipe process.
 *
 * It speaks exactly the protocol of spawner.pl (see Spawner.java): every frame in either
 * direction is a type byte, a request id and a payload length (both 32-bit big-endian), then
 * the payload.
 *   from pipe:  S start a command (argv, environment, working directory), A output was taken,
 *               D pipe is done with the command (its session no longer needs guarding)
 *   to pipe:    H ready, P started (pid and the inodes of its stdout and stderr pipes),
 *               1 and 2 stdout and stderr bytes, E could not start (why), X exit code
 *
 * Why a C edition: perl's fork copies the page tables of a 10 MB interpreter for every command,
 * and the Perl loop itself costs a millisecond per command. posix_spawn (a vfork-style clone in
 * glibc) starts the shell with setsid, reset signals, its pipes and working directory in one
 * call, about as cheaply as make starts its recipes. The build compiles this file when a C
 * compiler is there (scripts/build-spawner.sh); where it is not, pipe uses spawner.pl.
 *
 * When its stdin ends (pipe exited or was killed, even with SIGKILL) it kills the sessions of
 * every command pipe has not said it is done with, and exits.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define CHUNK 65536
#define DRAIN (1 << 20) /* once the shell has exited, at most this much more of each stream is read */

struct req {
    uint32_t id;
    pid_t pid;
    int pidfd;         /* -1 when there is none */
    int fd[3];         /* fd[1], fd[2]: the read ends of stdout and stderr; -1 once closed */
    long sent[3];      /* bytes sent and not yet acknowledged */
    long drained[3];   /* bytes read after the shell exited */
    int ended;         /* the shell has exited */
    int status;        /* its exit code, 128 + N for a signal N */
    int owned;         /* pipe has not said it is done with it */
    int live;          /* the command is still reported on (no X frame yet) */
};

static long window = 131072;
static int use_pidfd = 1;
static struct req *reqs;
static size_t nreqs, capreqs;

static unsigned char *in;
static size_t inlen, incap;
static unsigned char *out;
static size_t outlen, outcap;

static void pipe_gone(void);

static void grow(unsigned char **buf, size_t *cap, size_t need) {
    if (need <= *cap) {
        return;
    }
    size_t c = *cap ? *cap : 65536;
    while (c < need) {
        c *= 2;
    }
    unsigned char *b = realloc(*buf, c);
    if (!b) {
        fputs("pipe-spawner: out of memory\n", stderr);
        _exit(70);
    }
    *buf = b;
    *cap = c;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void flush_out(void) {
    size_t off = 0;
    while (off < outlen) {
        ssize_t n = write(1, out + off, outlen - off);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            pipe_gone();
        }
        off += n;
    }
    outlen = 0;
}

static void frame(char type, uint32_t id, const void *data, size_t len) {
    grow(&out, &outcap, outlen + 9 + len);
    out[outlen] = type;
    put32(out + outlen + 1, id);
    put32(out + outlen + 5, len);
    memcpy(out + outlen + 9, data, len);
    outlen += 9 + len;
    if (outlen >= 4 * CHUNK) {
        flush_out();
    }
}

static void frame_text(char type, uint32_t id, const char *text) {
    frame(type, id, text, strlen(text));
}

/* pipe is gone: nobody is left to stop its commands, so stop them now. */
static void pipe_gone(void) {
    size_t n = 0;
    pid_t *sid = calloc(nreqs + 1, sizeof *sid);
    for (size_t i = 0; sid && i < nreqs; i++) {
        if (reqs[i].owned) {
            sid[n++] = reqs[i].pid;
        }
    }
    if (n > 0) {
        /* Right after setsid a command's process group and session are both its pid. */
        for (size_t i = 0; i < n; i++) {
            kill(-sid[i], SIGKILL);
        }
        /* Processes that moved to another process group stay in the session: find them in /proc. */
        for (int round = 0; round < 20; round++) {
            DIR *proc = opendir("/proc");
            if (!proc) {
                break;
            }
            int found = 0;
            struct dirent *e;
            while ((e = readdir(proc)) != NULL) {
                char *end;
                long p = strtol(e->d_name, &end, 10);
                if (*end || p <= 0 || p == getpid()) {
                    continue;
                }
                char path[64], buf[1024];
                snprintf(path, sizeof path, "/proc/%ld/stat", p);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                    continue;
                }
                ssize_t len = read(fd, buf, sizeof buf - 1);
                close(fd);
                if (len <= 0) {
                    continue;
                }
                buf[len] = 0;
                /* The command name sits in parentheses and may itself hold spaces and ')'. */
                char *close_paren = strrchr(buf, ')');
                char state;
                long ppid, pgrp, session;
                if (!close_paren || sscanf(close_paren + 1, " %c %ld %ld %ld", &state, &ppid, &pgrp, &session) != 4) {
                    continue;
                }
                if (state == 'Z' || state == 'X') {
                    continue;
                }
                for (size_t i = 0; i < n; i++) {
                    if (sid[i] == session) {
                        kill((pid_t)p, SIGKILL);
                        found = 1;
                        break;
                    }
                }
            }
            closedir(proc);
            if (!found) {
                break;
            }
        }
    }
    _exit(0);
}

static void nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) {
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }
}

/* A command that never started: pipe gets the reason and the exit code of a missing command. */
static void refuse(uint32_t id, const char *why) {
    unsigned char code[4];
    frame_text('E', id, why);
    put32(code, 127);
    frame('X', id, code, 4);
}

static struct req *add_req(void) {
    if (nreqs == capreqs) {
        size_t c = capreqs ? capreqs * 2 : 16;
        struct req *r = realloc(reqs, c * sizeof *r);
        if (!r) {
            fputs("pipe-spawner: out of memory\n", stderr);
            _exit(70);
        }
        reqs = r;
        capreqs = c;
    }
    struct req *r = &reqs[nreqs++];
    memset(r, 0, sizeof *r);
    return r;
}

static struct req *find_req(uint32_t id) {
    for (size_t i = 0; i < nreqs; i++) {
        if (reqs[i].id == id) {
            return &reqs[i];
        }
    }
    return NULL;
}

/* Drops requests that are neither reported on nor guarded any more. */
static void compact(void) {
    size_t j = 0;
    for (size_t i = 0; i < nreqs; i++) {
        if (reqs[i].live || reqs[i].owned) {
            reqs[j++] = reqs[i];
        }
    }
    nreqs = j;
}

/* Reads the fields of a start request: each a 32-bit count or a length-prefixed string. */
struct cursor {
    const unsigned char *p, *end;
    int bad;
};

static uint32_t take_count(struct cursor *c) {
    if (c->end - c->p < 4) {
        c->bad = 1;
        return 0;
    }
    uint32_t n = get32(c->p);
    c->p += 4;
    return n;
}

static char *take_field(struct cursor *c) {
    uint32_t n = take_count(c);
    if (c->bad || (uint32_t)(c->end - c->p) < n) {
        c->bad = 1;
        return NULL;
    }
    char *s = malloc(n + 1);
    if (!s) {
        fputs("pipe-spawner: out of memory\n", stderr);
        _exit(70);
    }
    memcpy(s, c->p, n);
    s[n] = 0;
    c->p += n;
    return s;
}

static char **take_list(struct cursor *c) {
    uint32_t n = take_count(c);
    if (c->bad || n > (uint32_t)(c->end - c->p) / 4) {
        c->bad = 1;
        return NULL;
    }
    char **list = calloc(n + 1, sizeof *list);
    if (!list) {
        fputs("pipe-spawner: out of memory\n", stderr);
        _exit(70);
    }
    for (uint32_t i = 0; i < n && !c->bad; i++) {
        list[i] = take_field(c);
    }
    return list;
}

static void free_list(char **list) {
    for (char **p = list; p && *p; p++) {
        free(*p);
    }
    free(list);
}

static void spawn(uint32_t id, const unsigned char *body, size_t len) {
    struct cursor c = {body, body + len, 0};
    char **argv = take_list(&c);
    char **env = c.bad ? NULL : take_list(&c);
    char *dir = c.bad ? NULL : take_field(&c);
    char why[4096];
    if (c.bad || !argv || !argv[0]) {
        free_list(argv);
        free_list(env);
        free(dir);
        refuse(id, "the request to start the command was garbled");
        return;
    }
    int o[2], e[2];
    if (pipe2(o, O_CLOEXEC) < 0) {
        snprintf(why, sizeof why, "cannot create a pipe: %s", strerror(errno));
        refuse(id, why);
        goto out;
    }
    if (pipe2(e, O_CLOEXEC) < 0) {
        snprintf(why, sizeof why, "cannot create a pipe: %s", strerror(errno));
        close(o[0]);
        close(o[1]);
        refuse(id, why);
        goto out;
    }
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&fa);
    /* Ignored signals would stay ignored in the command; blocked ones would stay blocked. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    int reset[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) {
        sigaddset(&defaults, reset[i]);
    }
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, o[1], 1);
    posix_spawn_file_actions_adddup2(&fa, e[1], 2);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &fa, &attr, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(o[1]);
    close(e[1]);
    if (err != 0) {
        close(o[0]);
        close(e[0]);
        /* posix_spawn says what failed, not which step: the directory is the one pipe can check. */
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, X_OK) != 0) {
            snprintf(why, sizeof why, "cannot change to the working directory %s: %s", dir, strerror(err));
        } else {
            snprintf(why, sizeof why, "cannot run %s: %s", argv[0], strerror(err));
        }
        refuse(id, why);
        goto out;
    }
    nonblocking(o[0]);
    nonblocking(e[0]);
    struct req *r = add_req();
    r->id = id;
    r->pid = pid;
    r->pidfd = use_pidfd ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
    if (r->pidfd >= 0) {
        fcntl(r->pidfd, F_SETFD, FD_CLOEXEC);
    }
    r->fd[1] = o[0];
    r->fd[2] = e[0];
    r->owned = 1;
    r->live = 1;
    /* The pipes' inodes let pipe recognise a process that still holds the command's output. */
    struct stat so, se;
    fstat(o[0], &so);
    fstat(e[0], &se);
    char started[96];
    snprintf(started, sizeof started, "%ld %lu %lu", (long)pid, (unsigned long)so.st_ino, (unsigned long)se.st_ino);
    frame_text('P', id, started);
out:
    free_list(argv);
    free_list(env);
    free(dir);
}

static void requests(void) {
    grow(&in, &incap, inlen + 4 * CHUNK);
    ssize_t n = read(0, in + inlen, 4 * CHUNK);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) {
            return;
        }
        pipe_gone();
    }
    if (n == 0) {
        pipe_gone();
    }
    inlen += n;
    size_t pos = 0;
    while (inlen - pos >= 9) {
        unsigned char type = in[pos];
        uint32_t id = get32(in + pos + 1);
        uint32_t len = get32(in + pos + 5);
        if (inlen - pos < 9 + (size_t)len) {
            break;
        }
        const unsigned char *body = in + pos + 9;
        if (type == 'S') {
            spawn(id, body, len);
        } else if (type == 'A') {
            struct req *r = find_req(id);
            if (r && len >= 5 && body[0] >= 1 && body[0] <= 2) {
                r->sent[body[0]] -= get32(body + 1);
            }
        } else if (type == 'D') {
            struct req *r = find_req(id);
            if (r) {
                r->owned = 0;
            }
        } else {
            fprintf(stderr, "pipe-spawner: unknown request type '%c'\n", type);
            exit(2);
        }
        pos += 9 + len;
    }
    memmove(in, in + pos, inlen - pos);
    inlen -= pos;
    compact();
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < nreqs; i++) {
            struct req *r = &reqs[i];
            if (r->pid != pid || r->ended) {
                continue;
            }
            r->ended = 1;
            r->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
            if (r->pidfd >= 0) {
                close(r->pidfd);
                r->pidfd = -1;
            }
        }
    }
}

/*
 * Reads what one stream has, within the window. Once the shell has exited, reads without
 * waiting until the pipe is empty: what background processes write after that is not the
 * command's output.
 */
static void pump(struct req *r, int s) {
    static unsigned char buf[CHUNK];
    while (r->fd[s] >= 0) {
        long room = window - r->sent[s];
        if (room <= 0) {
            return;
        }
        if (room > CHUNK) {
            room = CHUNK;
        }
        if (r->ended && DRAIN - r->drained[s] < room) {
            room = DRAIN - r->drained[s];
        }
        ssize_t n = room > 0 ? read(r->fd[s], buf, room) : 0;
        if (n < 0) {
            if (errno == EINTR || (errno == EAGAIN && !r->ended)) {
                return;
            }
            n = 0;
        }
        if (n == 0) {
            close(r->fd[s]);
            r->fd[s] = -1;
            return;
        }
        r->sent[s] += n;
        if (r->ended) {
            r->drained[s] += n;
        }
        frame(s == 1 ? '1' : '2', r->id, buf, n);
        if (!r->ended) {
            return;
        }
    }
}

static void on_child(int sig) {
    (void)sig; /* only to interrupt poll */
}

int main(int argc, char **argv) {
    if (argc > 1) {
        window = strtol(argv[1], NULL, 10);
        if (window <= 0) {
            window = 131072;
        }
    }
    /*
     * pipe decides when the spawner ends, by closing its stdin: a Ctrl-C or a SIGTERM to the
     * process group is pipe's to handle (it cancels the run), and a dead reader must not kill
     * us mid-cleanup.
     */
    int ignored[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        signal(ignored[i], SIG_IGN);
    }
    /* A pidfd (Linux 5.3) tells of a child's exit through poll, without the race of a signal. */
    int probe = (int)syscall(SYS_pidfd_open, getpid(), 0);
    if (probe >= 0) {
        close(probe);
    } else {
        use_pidfd = 0;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_child;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_NOCLDSTOP; /* no SA_RESTART: the signal must interrupt poll */
        sigaction(SIGCHLD, &sa, NULL);
    }
    frame_text('H', 0, use_pidfd ? "pidfd" : "sigchld");

    struct pollfd *fds = NULL;
    size_t capfds = 0;
    for (;;) {
        flush_out();
        size_t need = 1 + 3 * nreqs;
        if (need > capfds) {
            capfds = need * 2;
            fds = realloc(fds, capfds * sizeof *fds);
            if (!fds) {
                fputs("pipe-spawner: out of memory\n", stderr);
                _exit(70);
            }
        }
        size_t nfds = 0;
        fds[nfds++] = (struct pollfd){0, POLLIN, 0};
        int draining = 0, polling = 0;
        /* Where each request's descriptors sit in fds: stream 1, stream 2, pidfd; -1 when absent. */
        size_t *slot = calloc(3 * nreqs + 1, sizeof *slot);
        for (size_t i = 0; i < nreqs; i++) {
            struct req *r = &reqs[i];
            for (int s = 1; s <= 2; s++) {
                slot[3 * i + s - 1] = (size_t)-1;
                if (!r->live || r->fd[s] < 0 || r->sent[s] >= window) {
                    continue;
                }
                if (r->ended) {
                    draining = 1;
                } else {
                    slot[3 * i + s - 1] = nfds;
                    fds[nfds++] = (struct pollfd){r->fd[s], POLLIN, 0};
                }
            }
            slot[3 * i + 2] = (size_t)-1;
            if (!r->live || r->ended) {
                continue;
            }
            if (r->pidfd >= 0) {
                slot[3 * i + 2] = nfds;
                fds[nfds++] = (struct pollfd){r->pidfd, POLLIN, 0};
            } else {
                polling = 1;
            }
        }
        int n = poll(fds, nfds, draining ? 0 : polling ? 20 : -1);
        if (n < 0) {
            if (errno != EINTR) {
                perror("pipe-spawner: poll");
                exit(2);
            }
            for (size_t i = 0; i < nfds; i++) {
                fds[i].revents = 0;
            }
        }
        reap();
        size_t count = nreqs; /* requests() may add some: they have no slots yet */
        for (size_t i = 0; i < count; i++) {
            struct req *r = &reqs[i];
            if (!r->live) {
                continue;
            }
            for (int s = 1; s <= 2; s++) {
                if (r->fd[s] < 0) {
                    continue;
                }
                size_t at = slot[3 * i + s - 1];
                if (r->ended || (at != (size_t)-1 && fds[at].revents)) {
                    pump(r, s);
                }
            }
            if (!r->ended || r->fd[1] >= 0 || r->fd[2] >= 0) {
                continue;
            }
            unsigned char code[4];
            put32(code, (uint32_t)r->status);
            frame('X', r->id, code, 4);
            r->live = 0;
        }
        free(slot);
        if (fds[0].revents) {
            requests(); /* also drops requests that are over */
        } else {
            compact();
        }
    }
}
