#!/usr/bin/env bash
# pipe run next to make -j2 on the same DAGs: per-step overhead, and how close a DAG of sleeps
# gets to its critical path. Prints a Markdown table; see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out/run"
RUNS=${RUNS:-3}
mkdir -p "$OUT"
./pipe --version >/dev/null

# Median wall time, in seconds, of RUNS runs of a command (after one warm-up).
median() {
    local times=() t0 t1
    "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
        times+=("$(( (t1 - t0) / 1000000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1000}'
}

pipe_run() {
    rm -rf "$1/.pipe"
    ./pipe run "$1/dag.pipe" --state "$1/.pipe" --parallel 2
}

make_run() {
    make -s -j2 -C "$1" all
}

echo "| DAG | steps | command | make -j2 | pipe run --parallel 2 |"
echo "|---|---:|---|---:|---:|"
declare -A T
for shape in chain wide diamond; do
    for n in 100 500; do
        d="$OUT/$shape-$n"
        python3 bench/gen-dag.py "$shape" "$n" true "$d"
        m=$(median make_run "$d"); p=$(median pipe_run "$d")
        T[$shape-$n-make]=$m; T[$shape-$n-pipe]=$p
        echo "| $shape | $n | true | ${m} s | ${p} s |"
    done
done
d="$OUT/sleep-diamond"
python3 bench/gen-dag.py diamond 20 "sleep 0.2" "$d"
m=$(median make_run "$d"); p=$(median pipe_run "$d")
echo "| diamond (5 layers of 4) | 20 | sleep 0.2 | ${m} s | ${p} s |"
echo
for shape in chain wide diamond; do
    awk -v s="$shape" -v m1="${T[$shape-100-make]}" -v m5="${T[$shape-500-make]}" \
        -v p1="${T[$shape-100-pipe]}" -v p5="${T[$shape-500-pipe]}" 'BEGIN {
        mk = (m5 - m1) / 400 * 1000; pp = (p5 - p1) / 400 * 1000;
        printf "Per-step cost (%s, from 100 to 500 steps): make %.2f ms, pipe %.2f ms (%.1fx)\n", s, mk, pp, pp / mk }'
done
# With 2 at a time, 5 layers of 4 sleeps of 0.2 s take 10 x 0.2 s = 2.0 s at best.
awk -v p="$p" 'BEGIN { printf "Sleeps: critical path with 2 slots 2.000 s; pipe %.3f s (%.1f%% over, start-up included)\n", p, (p / 2 - 1) * 100 }'
