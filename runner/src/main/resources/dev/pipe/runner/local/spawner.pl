# pipe-spawner: starts the commands of one pipe process, far more cheaply than the JVM can.
#
# Spawner.java starts it (a few words of perl -e read this script from stdin) and describes the
# protocol; in short, every frame in either direction is a type byte, a request id and a payload
# length (both 32-bit big-endian), then the payload.
#   from pipe:  S start a command (argv, environment, working directory), A output was taken,
#               D pipe is done with the command (its session no longer needs guarding)
#   to pipe:    H ready, P started (pid and the inodes of its stdout and stderr pipes),
#               1 and 2 stdout and stderr bytes, E could not start (why), X exit code
#
# When its stdin ends (pipe exited or was killed, even with SIGKILL) it kills the sessions of
# every command pipe has not said it is done with, and exits. Only core modules are used:
# perl-base is all a Debian system is sure to have.
use strict;
use warnings;
use POSIX ();

my $WINDOW = ($ARGV[0] || 131072) + 0;  # bytes of a stream sent and not yet taken before reading pauses
my $CHUNK = 65536;
my $DRAIN = 1 << 20;  # once the shell has exited, at most this much more of each stream is read
my $EAGAIN = POSIX::EAGAIN();
my $EINTR = POSIX::EINTR();

$0 = 'pipe-spawner';
# pipe decides when the spawner ends, by closing its stdin: a Ctrl-C or a SIGTERM to the process
# group is pipe's to handle (it cancels the run), and a dead reader must not kill us mid-cleanup.
$SIG{$_} = 'IGNORE' for qw(INT QUIT TERM HUP PIPE);
$SIG{CHLD} = 'DEFAULT';

# A pidfd (Linux 5.3) tells of a child's exit through select, without the race of a signal that
# lands just before select blocks. Elsewhere a short select timeout stands in for it. The system
# call number is 434 on every architecture but these.
my $PIDFD = (POSIX::uname())[4] !~ /^(alpha|mips|ia64)/;
if ($PIDFD) {
    my $fd = syscall(434, $$ + 0, 0);
    if ($fd >= 0) { POSIX::close($fd) } else { $PIDFD = 0 }
}

my %req;    # id -> a command being run: {id, pid, pidfd, fh => {1, 2}, ex, why, sent, drained, status}
my %owned;  # id -> pid of every command pipe has not said it is done with: their sessions die with pipe
my $in = '';
my $out = '';

sub frame {
    my ($type, $id, $data) = @_;
    $out .= pack('a N N', $type, $id, length $data) . $data;
    flush() if length $out >= 4 * $CHUNK;
}

sub flush {
    while (length $out) {
        my $n = syswrite(STDOUT, $out);
        if (!defined $n) {
            next if $! == $EINTR;
            pipe_gone();
        }
        substr($out, 0, $n, '');
    }
}

# pipe is gone: nobody is left to stop its commands, so stop them now.
sub pipe_gone {
    my %sid = map { $_ => 1 } values %owned;
    if (%sid) {
        # Right after setsid a command's process group and session are both its pid.
        kill 'KILL', map { -$_ } keys %sid;
        # Processes that moved to another process group stay in the session: find them in /proc.
        for my $round (1 .. 20) {
            my @found;
            opendir(my $dir, '/proc') or last;
            for my $p (grep { /^\d+$/ } readdir $dir) {
                open(my $f, '<', "/proc/$p/stat") or next;
                my $stat = <$f>;
                close $f;
                next unless defined $stat && $stat =~ /.*\) (\S) \d+ \d+ (\d+) /s;
                push @found, $p if $sid{$2} && $1 ne 'Z' && $1 ne 'X' && $p != $$;
            }
            closedir $dir;
            last unless @found;
            kill 'KILL', @found;
        }
    }
    POSIX::_exit(0);
}

sub nonblocking {
    my ($fh) = @_;
    my $flags = fcntl($fh, POSIX::F_GETFL(), 0);
    fcntl($fh, POSIX::F_SETFL(), $flags | POSIX::O_NONBLOCK()) if defined $flags;
}

# A command that never started: pipe gets the reason and the exit code of a missing command.
sub refuse {
    my ($id, $why) = @_;
    frame('E', $id, $why);
    frame('X', $id, pack('N', 127));
}

sub spawn {
    my ($id, $body) = @_;
    my $pos = 0;
    my $count = sub { my $n = unpack('N', substr($body, $pos, 4)); $pos += 4; $n };
    my $field = sub { my $n = $count->(); my $v = substr($body, $pos, $n); $pos += $n; $v };
    my @argv = map { $field->() } 1 .. $count->();
    my @env = map { $field->() } 1 .. $count->();
    my $dir = $field->();
    my ($out_r, $out_w, $err_r, $err_w, $ex_r, $ex_w);
    # Perl makes these close-on-exec, so no command inherits another one's pipes.
    pipe($out_r, $out_w) && pipe($err_r, $err_w) && pipe($ex_r, $ex_w)
        or return refuse($id, "cannot create a pipe: $!");
    my $pid = fork;
    return refuse($id, "cannot fork: $!") unless defined $pid;
    child(\@argv, \@env, $dir, $out_w, $err_w, $ex_w) if $pid == 0;
    close $out_w;
    close $err_w;
    close $ex_w;
    nonblocking($_) for $out_r, $err_r, $ex_r;
    my $pidfd;
    if ($PIDFD) {
        my $fd = syscall(434, $pid + 0, 0);
        $pidfd = $fd if $fd >= 0;
    }
    # The pipes' inodes let pipe recognise a process that still holds the command's output.
    frame('P', $id, join(' ', $pid, (stat $out_r)[1], (stat $err_r)[1]));
    $req{$id} = {
        id => $id, pid => $pid, pidfd => $pidfd, fh => { 1 => $out_r, 2 => $err_r }, ex => $ex_r, why => '',
        sent => { 1 => 0, 2 => 0 }, drained => { 1 => 0, 2 => 0 }, status => undef,
    };
    $owned{$id} = $pid;
}

sub child {
    my ($argv, $env, $dir, $out_w, $err_w, $ex_w) = @_;
    eval {
        POSIX::setsid();
        # Ignored signals would stay ignored in the command; blocked ones would stay blocked.
        $SIG{$_} = 'DEFAULT' for qw(INT QUIT TERM HUP PIPE CHLD);
        POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new());
        my $null = POSIX::open('/dev/null', POSIX::O_RDONLY());
        defined $null or die "cannot open /dev/null: $!\n";
        POSIX::dup2($null, 0) // die "cannot open /dev/null: $!\n";
        POSIX::close($null) if $null != 0;
        POSIX::dup2(fileno $out_w, 1) // die "cannot set up stdout: $!\n";
        POSIX::dup2(fileno $err_w, 2) // die "cannot set up stderr: $!\n";
        chdir $dir or die "cannot change to the working directory $dir: $!\n";
        %ENV = ();
        for (@$env) {
            my ($name, $value) = split /=/, $_, 2;
            $ENV{$name} = $value;
        }
        no warnings;
        exec { $argv->[0] } @$argv;
        die "cannot run $argv->[0]: $!\n";
    };
    my $why = $@ || "unknown error\n";
    chomp $why;
    syswrite $ex_w, $why;
    POSIX::_exit(127);
}

sub requests {
    my $n = sysread(STDIN, $in, 4 * $CHUNK, length $in);
    if (!defined $n) {
        return if $! == $EINTR || $! == $EAGAIN;
        pipe_gone();
    }
    pipe_gone() if $n == 0;
    while (length $in >= 9) {
        my ($type, $id, $len) = unpack('a N N', $in);
        last if length $in < 9 + $len;
        my $body = substr($in, 9, $len);
        substr($in, 0, 9 + $len, '');
        if ($type eq 'S') {
            spawn($id, $body);
        } elsif ($type eq 'A') {
            my ($stream, $bytes) = unpack('C N', $body);
            $req{$id}{sent}{$stream} -= $bytes if $req{$id};
        } elsif ($type eq 'D') {
            delete $owned{$id};
        } else {
            die "pipe-spawner: unknown request type '$type'\n";
        }
    }
}

sub reap {
    while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
        my $status = $?;
        for my $r (values %req) {
            next unless $r->{pid} == $pid;
            $r->{status} = ($status & 127) ? 128 + ($status & 127) : $status >> 8;
            POSIX::close($r->{pidfd}) if defined $r->{pidfd};
            $r->{pidfd} = undef;
        }
    }
}

# Reads what one stream has, within the window. Once the shell has exited, reads without waiting
# until the pipe is empty: what background processes write after that is not the command's output.
sub pump {
    my ($r, $s) = @_;
    my $ended = defined $r->{status};
    while (my $fh = $r->{fh}{$s}) {
        my $room = $WINDOW - $r->{sent}{$s};
        return if $room <= 0;
        $room = $CHUNK if $room > $CHUNK;
        if ($ended) {
            my $left = $DRAIN - $r->{drained}{$s};
            $room = $left if $left < $room;
        }
        my $buf;
        my $n = $room > 0 ? sysread($fh, $buf, $room) : 0;
        if (!defined $n) {
            return if $! == $EINTR || ($! == $EAGAIN && !$ended);
            $n = 0;
        }
        if ($n == 0) {
            close $fh;
            delete $r->{fh}{$s};
            return;
        }
        $r->{sent}{$s} += $n;
        $r->{drained}{$s} += $n if $ended;
        frame($s, $r->{id}, $buf);
        return unless $ended;
    }
}

# Reads why the child could not exec, once it has exited: its close-on-exec pipe then holds the
# reason, or nothing when exec succeeded. (Watching it earlier would wake us at every exec.)
sub why {
    my ($r) = @_;
    my $n = sysread($r->{ex}, my $buf, 4096);
    return if !defined $n && $! == $EINTR;
    if ($n) {
        $r->{why} .= $buf;
        return;
    }
    close $r->{ex};
    $r->{ex} = undef;
}

frame('H', 0, $PIDFD ? 'pidfd' : 'sigchld');
$SIG{CHLD} = sub { } unless $PIDFD;  # only to interrupt select

for (;;) {
    flush();
    my $rin = '';
    vec($rin, 0, 1) = 1;
    my ($draining, $polling) = (0, 0);
    for my $r (values %req) {
        for my $s (1, 2) {
            my $fh = $r->{fh}{$s} or next;
            next if $r->{sent}{$s} >= $WINDOW;
            if (defined $r->{status}) { $draining = 1 } else { vec($rin, fileno $fh, 1) = 1 }
        }
        next if defined $r->{status};
        if (defined $r->{pidfd}) { vec($rin, $r->{pidfd}, 1) = 1 } else { $polling = 1 }
    }
    my $rout;
    my $n = select($rout = $rin, undef, undef, $draining ? 0 : $polling ? 0.02 : undef);
    if ($n < 0) {
        die "pipe-spawner: select: $!\n" unless $! == $EINTR;
        $rout = '';
    }
    reap();
    requests() if vec($rout, 0, 1);
    for my $id (keys %req) {
        my $r = $req{$id} or next;
        for my $s (1, 2) {
            my $fh = $r->{fh}{$s} or next;
            pump($r, $s) if defined $r->{status} || vec($rout, fileno $fh, 1);
        }
        why($r) while defined $r->{status} && defined $r->{ex};
        next if !defined $r->{status} || %{ $r->{fh} };
        frame('E', $id, $r->{why}) if length $r->{why};
        frame('X', $id, pack('N', $r->{status}));
        delete $req{$id};
    }
}
