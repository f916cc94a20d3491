#!/usr/bin/env bash
# pipe run next to make -j2 on the same DAGs: per-step overhead, and how close a DAG of sleeps
# gets to its critical path. Prints a Markdown table; see bench/README.md.
#
# Two make baselines: make as it comes (it runs a simple command such as `true` itself, without
# a shell), and make running every recipe with `bash -eo pipefail -c`, which is exactly what pipe
# does with an `sh` step: the equivalent Makefile. The target (pipe's per-step cost at most 2x
# make's) is measured against the equivalent one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out/run"
RUNS=${RUNS:-3}
SIZES=${SIZES:-"100 500"}
STATE=${STATE:-$OUT/state}   # where pipe keeps its runs; STATE=/dev/shm/x leaves the disk out
mkdir -p "$OUT"
./pipe --version >/dev/null

# Median wall time, in seconds, of RUNS runs of a command (after one warm-up). A run that fails
# stops the script (set -e sees the failed command substitution): its time would mean nothing.
median() {
    local times=() t0 t1
    "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; t1=$(date +%s%N)
        times+=("$(( (t1 - t0) / 1000000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1000}'
}

pipe_run() {
    rm -rf "$STATE"
    ./pipe run "$1/dag.pipe" --state "$STATE" --parallel 2 --event push --branch main && run_seconds >>"$OUT/spans"
}

# The median of the spans (the run itself, see run_seconds) that pipe_run noted since the last call.
median_span() {
    sort -n "$OUT/spans" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
    rm -f "$OUT/spans"
}

make_run() {
    make -s -j2 -C "$1" all
}

make_bash() {
    make -s -j2 -C "$1" SHELL=/bin/bash .SHELLFLAGS="-eo pipefail -c" all
}

# The time between the first and the last event of the latest run's journal: the run itself,
# without the JVM's start, reading the file and planning.
run_seconds() {
    python3 - "$STATE" <<'PY'
import json, sys, glob, os, datetime
runs = sorted(glob.glob(os.path.join(sys.argv[1], "runs", "*", "journal.jsonl")))
lines = [json.loads(l) for l in open(runs[-1]) if l.strip()]
t = lambda e: datetime.datetime.fromisoformat(e["at"].replace("Z", "+00:00"))
print("%.3f" % (t(lines[-1]) - t(lines[0])).total_seconds())
PY
}

echo "| DAG | steps | command | make -j2 | make -j2, bash recipes | pipe run --parallel 2 |"
echo "|---|---:|---|---:|---:|---:|"
declare -A T
for shape in chain wide diamond; do
    for n in $SIZES; do
        d="$OUT/$shape-$n"
        python3 bench/gen-dag.py "$shape" "$n" true "$d"
        rm -f "$OUT/spans"
        m=$(median make_run "$d"); b=$(median make_bash "$d"); p=$(median pipe_run "$d"); r=$(median_span)
        T[$shape-$n-make]=$m; T[$shape-$n-bash]=$b; T[$shape-$n-pipe]=$p; T[$shape-$n-span]=$r
        echo "| $shape | $n | true | ${m} s | ${b} s | ${p} s (the run itself: ${r} s) |"
    done
done
d="$OUT/sleep-diamond"
python3 bench/gen-dag.py diamond 20 "sleep 0.2" "$d"
rm -f "$OUT/spans"
m=$(median make_run "$d"); b=$(median make_bash "$d"); p=$(median pipe_run "$d"); r=$(median_span)
echo "| diamond (5 layers of 4) | 20 | sleep 0.2 | ${m} s | ${b} s | ${p} s (the run itself: ${r} s) |"
echo
set -- $SIZES
lo=$1; hi=${!#}
for shape in chain wide diamond; do
    awk -v s="$shape" -v n=$((hi - lo)) -v m1="${T[$shape-$lo-make]}" -v m5="${T[$shape-$hi-make]}" \
        -v b1="${T[$shape-$lo-bash]}" -v b5="${T[$shape-$hi-bash]}" \
        -v p1="${T[$shape-$lo-pipe]}" -v p5="${T[$shape-$hi-pipe]}" \
        -v r1="${T[$shape-$lo-span]}" -v r5="${T[$shape-$hi-span]}" 'BEGIN {
        mk = (m5 - m1) / n * 1000; bk = (b5 - b1) / n * 1000; pp = (p5 - p1) / n * 1000; rr = (r5 - r1) / n * 1000;
        printf "Per-step cost (%s): make %.2f ms, make with bash %.2f ms, pipe %.2f ms (%.1fx make with bash); from the runs themselves %.2f ms (%.1fx)\n", s, mk, bk, pp, pp / bk, rr, rr / bk }'
done
# With 2 at a time, 5 layers of 4 sleeps of 0.2 s are 10 steps one after another at best: the
# critical path. On paper that is 10 x 0.2 s; but a step is `bash -eo pipefail -c "sleep 0.2"`,
# which also starts bash and sleep, several milliseconds on a slow machine, and a layer lasts as
# long as its slower slot. bench/critical-path.py measures the path as the steps take here: one
# step at a time (x 10), and the schedule itself, 2 slots side by side with nothing in between.
read -r alone sched < <(python3 bench/critical-path.py "${SLEEP_SAMPLES:-15}" "${SCHEDULE_SAMPLES:-5}")
awk -v p="$p" -v r="$r" -v a="$alone" -v s="$sched" -v b="$b" 'BEGIN {
    printf "Sleeps: the run %.3f s (with pipe'"'"'s start %.3f s). The critical path with 2 slots: 2.000 s on paper (10 x 0.2 s); %.3f s as the steps take here, one at a time; %.3f s for the schedule itself, 2 slots side by side with nothing between the steps.\n", r, p, a, s
    printf "Over the schedule: pipe %.1f%%, make -j2 with bash recipes %.1f%%. Over the steps one at a time: pipe %.1f%%, make %.1f%%. Over paper: pipe %.1f%%, make %.1f%%\n", (r / s - 1) * 100, (b / s - 1) * 100, (r / a - 1) * 100, (b / a - 1) * 100, (r / 2 - 1) * 100, (b / 2 - 1) * 100 }'
