#!/usr/bin/env bash
# Benchmarks `pipe check` against the JVM's own start-up floor and prints a Markdown report.
#
#   bench/check.sh                 # 10 runs of each command after 2 warm-ups
#   RUNS=20 WARMUP=3 bench/check.sh
#   SIZES="100 1000" bench/check.sh
#
# Uses hyperfine when it is installed (apt-get install hyperfine), else a plain timing loop.
# Generated pipelines and the report (bench/out/results.md) go to bench/out/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-2}"
SIZES="${SIZES:-100 1000 10000}"
cd "$ROOT"
mkdir -p "$OUT"

# shellcheck source=../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
JDK="$(pipe_require_jdk)" || exit 2

echo "Building pipe (once, outside the timings)..." >&2
if ! ./pipe --version > "$OUT/version.txt" 2>&1; then
    cat "$OUT/version.txt" >&2
    echo "bench: ./pipe --version failed, so there is nothing to measure." >&2
    exit 1
fi
# The launcher made its class-data archive (runner/target/pipe.jsa) right after the build, from
# a plan of the shop example, so the parser, checker and planner start from it in every run below.

for n in $SIZES; do
    python3 bench/gen-pipeline.py "$n" > "$OUT/stages-$n.pipe"
done

printf 'public class Empty {\n    public static void main(String[] args) {\n    }\n}\n' > "$OUT/Empty.java"
"$JDK/bin/javac" -d "$OUT" "$OUT/Empty.java"

# label|command, in report order.
benchmarks=(
    "\`java -version\`|\"$JDK/bin/java\" -version"
    "empty Java main|\"$JDK/bin/java\" -cp \"$OUT\" Empty"
    "\`pipe --version\` (pipe's own start-up)|./pipe --version"
    "\`pipe check examples/shop/shop.pipe\`|./pipe check examples/shop/shop.pipe"
)
for n in $SIZES; do
    benchmarks+=("\`pipe check\` $n stages ($(du -k "$OUT/stages-$n.pipe" | cut -f1) KB)|./pipe check \"$OUT/stages-$n.pipe\"")
done

# Times one command; writes RUNS wall times in seconds, one a line, to $2.
measure() {
    local command="$1" times="$2"
    if command -v hyperfine > /dev/null; then
        hyperfine --style none --ignore-failure --warmup "$WARMUP" --runs "$RUNS" \
            --export-json "$times.json" "$command" > /dev/null
        python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["results"][0]["times"]:
    print(t)' "$times.json" > "$times"
    else
        local i start end
        for ((i = 0; i < WARMUP; i++)); do bash -c "$command" > /dev/null 2>&1 || true; done
        : > "$times"
        for ((i = 0; i < RUNS; i++)); do
            start=$(date +%s%N)
            bash -c "$command" > /dev/null 2>&1 || true
            end=$(date +%s%N)
            echo "$(((end - start) / 1000))e-6" >> "$times"
        done
    fi
}

rows="$OUT/rows.txt"
: > "$rows"
index=0
for entry in "${benchmarks[@]}"; do
    label="${entry%%|*}"
    command="${entry#*|}"
    # One untimed run to learn the exit status: a check that fails is not the number we want.
    status=0
    bash -c "$command" > "$OUT/run-$index.log" 2>&1 || status=$?
    if [ "$status" -ne 0 ] && [[ "$command" == ./pipe* ]]; then
        echo "bench: \`$command\` exited with $status; its output is in $OUT/run-$index.log" >&2
    fi
    echo "Timing $label..." >&2
    measure "$command" "$OUT/times-$index.txt"
    printf '%s\t%s\t%s\n' "$label" "$status" "$OUT/times-$index.txt" >> "$rows"
    index=$((index + 1))
done

memory="$(free -g 2> /dev/null | awk '/^Mem:/ { print $2 " GB" }')"
cpu="$(lscpu 2> /dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
jdk_version="$("$JDK/bin/java" -version 2>&1 | head -n 1)"
tool="$(command -v hyperfine > /dev/null && hyperfine --version || echo 'a bash loop with date +%s%N')"

python3 - "$rows" "$RUNS" "$WARMUP" "$(date -u +%Y-%m-%d)" "$(nproc)" "$cpu" "$memory" "$jdk_version" "$tool" "$SIZES" \
    > "$OUT/results.md" << 'EOF'
import statistics
import sys

rows_file, runs, warmup, day, cores, cpu, memory, jdk, tool, sizes = sys.argv[1:]
print(f"Measured on {day}: {cores} cores ({cpu or 'unknown CPU'}), {memory or 'unknown'} memory, {jdk}.")
print(f"Wall time of {runs} runs after {warmup} warm-ups, timed with {tool}.")
print()
print("| command | median | min | max | exit |")
print("|---|---:|---:|---:|---:|")
medians = {}
for line in open(rows_file):
    label, status, times_file = line.rstrip("\n").split("\t")
    times = [float(t) for t in open(times_file) if t.strip()]
    median = statistics.median(times)
    medians[label] = median
    print(f"| {label} | {median:.3f} s | {min(times):.3f} s | {max(times):.3f} s | {status} |")
print()
by_size = {label.split("` ")[1].split(" ")[0]: m for label, m in medians.items() if label.startswith("`pipe check` ")}
if "1000" in by_size and "10000" in by_size:
    ratio = by_size["10000"] / by_size["1000"]
    print(f"10,000 stages take {ratio:.1f}x the time of 1,000 (linear growth would be 10x; the target is at most 12x).")
print()
print("Targets: `pipe check` of examples/shop under 0.6 s; 10,000 stages under 3 s.")
EOF
cat "$OUT/results.md"
