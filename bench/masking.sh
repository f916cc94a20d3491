#!/usr/bin/env bash
# Times secret masking: 10 MB of log-like text, 50 secrets (tokens, URLs with passwords,
# PEM-like keys), Masker.mask on the whole text and a MaskingSink fed in chunks.
#
#   bench/masking.sh            # 10 MB, median of 7 runs after 2 warm-ups
#   bench/masking.sh 50 11      # 50 MB, 11 runs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
JDK="$(pipe_require_jdk)" || exit 2
export JAVA_HOME="$JDK"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
echo "Compiling the engine (once, outside the timings)..." >&2
mvn -B -q -pl engine -am compile >&2
"$JDK/bin/java" -Xmx2g -cp engine/target/classes bench/MaskingBench.java "$@"
