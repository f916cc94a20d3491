#!/usr/bin/env bash
# error-rate.sh ENV MAX_PERCENT [LINES]: fail when more than MAX_PERCENT of the last LINES
# requests (default 200) in ENV/access.log got a 5xx answer.
source "$(dirname "$0")/lib.sh"
env="${1:?usage: error-rate.sh ENV MAX_PERCENT [LINES]}"
max="${2:?usage: error-rate.sh ENV MAX_PERCENT [LINES]}"
lines="${3:-200}"
log="$(env_dir "$env")/access.log"

if [ ! -s "$log" ]; then
    echo "no requests logged in $env yet; nothing to judge"
    exit 0
fi
tail -n "$lines" "$log" | awk -v max="$max" -v env="$env" '
    { total++ }
    $NF ~ /^5[0-9][0-9]$/ { errors++ }
    END {
        rate = 100 * errors / total
        printf "%s: %d of %d requests failed (%.1f%%, limit %s%%)\n", env, errors, total, rate, max
        exit rate > max ? 1 : 0
    }'
