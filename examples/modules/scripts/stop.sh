#!/usr/bin/env bash
# stop.sh: stop the demo server and forget every release (the history under .pipe/ stays).
set -euo pipefail
demo="$(cd "$(dirname "$0")/.." && pwd)/.demo"
if [ -f "$demo/staging/server.pid" ]; then
    kill "$(cat "$demo/staging/server.pid")" 2> /dev/null || true
fi
rm -rf "$demo"
echo "stopped the demo server"
