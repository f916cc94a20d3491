#!/usr/bin/env bash
# stop.sh: stop the demo servers and forget every release (the history under .pipe/ stays).
set -euo pipefail
demo="$(cd "$(dirname "$0")/.." && pwd)/.demo"
for env in staging production; do
    if [ -f "$demo/$env/server.pid" ]; then
        kill "$(cat "$demo/$env/server.pid")" 2> /dev/null || true
    fi
done
rm -rf "$demo"
echo "stopped the demo servers"
