#!/usr/bin/env bash
# What starting one local command costs: LocalExecutor through the native and Perl spawners and through the JVM's
# ProcessBuilder, a bare ProcessBuilder loop, and shell and perl loops of the same `true`.
# Prints a Markdown table of the time per command; see bench/README.md.
#   bench/exec.sh              # 300 commands per round, 5 rounds
#   N=1000 ROUNDS=7 bench/exec.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-300}
ROUNDS=${ROUNDS:-5}
OUT="$ROOT/bench/out/exec"
. "$ROOT/scripts/jdk.sh"
JDK=$(pipe_require_jdk) || exit 2
./pipe --version >/dev/null
mkdir -p "$OUT"
CP="$ROOT/runner/target/pipe.jar:$(printf '%s:' "$ROOT"/runner/target/lib/*.jar)"
"$JDK/bin/javac" -d "$OUT" -cp "$CP" bench/ExecBench.java

# Median, fastest and slowest per-command time (ms) of ROUNDS runs of a loop of N commands.
loop_times() {
    local times=() t0 t1
    "$@" >/dev/null 2>&1
    for _ in $(seq "$ROUNDS"); do
        t0=$(date +%s%N); "$@"; t1=$(date +%s%N)
        times+=("$(( (t1 - t0) / 1000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$N" '{a[NR]=$1} END {
        printf "%.2f ms | %.2f ms | %.2f ms", a[int((NR+1)/2)]/n/1000, a[1]/n/1000, a[NR]/n/1000 }'
}

bash_loop() {
    local i
    for ((i = 0; i < N; i++)); do bash -eo pipefail -c true; done
}

perl_loop() {
    perl -MPOSIX -e 'for (1 .. $ARGV[0]) { my $p = fork; if (!$p) { POSIX::setsid(); exec "bash", "-eo", "pipefail", "-c", "true"; POSIX::_exit(127) } waitpid($p, 0) }' "$N"
}

echo "$N commands per round, median of $ROUNDS rounds, on $(nproc) cores"
echo
echo "| what starts \`true\` | median per command | fastest round | slowest round |"
echo "|---|---:|---:|---:|"
"$JDK/bin/java" -XX:TieredStopAtLevel=1 -cp "$OUT:$CP" ExecBench "$N" "$ROUNDS"
echo "| bash loop: bash -eo pipefail -c true | $(loop_times bash_loop) |"
echo "| perl loop: fork, setsid, exec bash, waitpid | $(loop_times perl_loop) |"
