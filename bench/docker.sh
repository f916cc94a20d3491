#!/usr/bin/env bash
# Per-step overhead of pipe's Docker runner next to a raw loop of `docker exec` into one running
# container, in the same script, on the same engine and image. Prints a Markdown table; see
# bench/README.md.
#
# pipe: one stage `runner docker IMAGE` with N steps of `sh "true"`, and the same stage with 1
# step; the difference divided by N-1 is what each further step costs (the JVM's start, the
# container's creation and removal cancel out). Raw: `docker run -d` one container, then N times
# `docker exec C sh -e -c true` (what pipe runs for a step: sh -e, as the image has no bash),
# timed as a whole and divided by N. Target: pipe's per-step cost at most 1.25x the raw loop's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out/docker"
RUNS=${RUNS:-3}
N=${N:-100}
IMAGE=${IMAGE:-pipe-test/busybox:1}
mkdir -p "$OUT"
docker image inspect "$IMAGE" >/dev/null 2>&1 || { echo "bench: no image $IMAGE; run scripts/docker-test-env.sh" >&2; exit 1; }
./pipe --version >/dev/null

gen() {  # gen STEPS FILE
    {
        echo "pipeline docker_bench"
        echo "on push"
        echo "stage box {"
        echo "  runner docker \"$IMAGE\""
        for i in $(seq "$1"); do echo "  step \"s$i\" { sh \"true\" }"; done
        echo "}"
    } >"$2"
}
gen "$N" "$OUT/many.pipe"
gen 1 "$OUT/one.pipe"

# Wall time in milliseconds of one run of a command; a failed run stops the script.
ms() {
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

pipe_run() { rm -rf "$OUT/state"; ./pipe run "$1" --state "$OUT/state"; }

raw_loop() {
    local c
    c=$(docker run -d --init --entrypoint sh "$IMAGE" -c 'while :; do sleep 3600; done')
    for _ in $(seq "$N"); do docker exec "$c" sh -e -c true; done
    docker rm -f "$c" >/dev/null
}

raw_setup() {  # the raw loop's container alone, to take out of its time
    local c
    c=$(docker run -d --init --entrypoint sh "$IMAGE" -c 'while :; do sleep 3600; done')
    docker rm -f "$c" >/dev/null
}

pipe_run "$OUT/one.pipe" >/dev/null; pipe_run "$OUT/many.pipe" >/dev/null; raw_loop   # warm-up
pipe_many=(); pipe_one=(); raw=(); setup=()
for _ in $(seq "$RUNS"); do
    pipe_many+=("$(ms pipe_run "$OUT/many.pipe")")
    pipe_one+=("$(ms pipe_run "$OUT/one.pipe")")
    raw+=("$(ms raw_loop)")
    setup+=("$(ms raw_setup)")
done
pm=$(printf '%s\n' "${pipe_many[@]}" | median)
po=$(printf '%s\n' "${pipe_one[@]}" | median)
rl=$(printf '%s\n' "${raw[@]}" | median)
rs=$(printf '%s\n' "${setup[@]}" | median)
per_pipe=$(awk -v a="$pm" -v b="$po" -v n="$N" 'BEGIN {printf "%.1f", (a - b) / (n - 1)}')
per_raw=$(awk -v a="$rl" -v b="$rs" -v n="$N" 'BEGIN {printf "%.1f", (a - b) / n}')
ratio=$(awk -v a="$per_pipe" -v b="$per_raw" 'BEGIN {printf "%.2f", a / b}')
{
    echo "| measurement | median of $RUNS |"
    echo "|---|---:|"
    echo "| \`pipe run\`, 1 stage in a container, $N steps of \`true\` | ${pm} ms |"
    echo "| \`pipe run\`, the same stage with 1 step | ${po} ms |"
    echo "| \`docker run -d\` + $N \`docker exec C sh -e -c true\` + \`docker rm -f\` | ${rl} ms |"
    echo "| \`docker run -d\` + \`docker rm -f\` alone | ${rs} ms |"
    echo "| **per step, pipe** ((first − second) / $((N - 1))) | **${per_pipe} ms** |"
    echo "| **per step, raw \`docker exec\`** ((third − fourth) / $N) | **${per_raw} ms** |"
    echo "| pipe / raw | ${ratio}x |"
} | tee "$OUT/results.md"
