#!/usr/bin/env bash
# stop.sh [ENV...]: stop the demo server of each environment (both without arguments) that
# scripts/deploy.sh started, and wait until it has let go of its port.
source "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || set -- staging production
for env in "$@"; do
    pidfile="$(env_dir "$env")/server.pid"
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill "$pid" 2> /dev/null; then
        for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        echo "stopped the $env server (pid $pid)"
    fi
    rm -f "$pidfile"
done
