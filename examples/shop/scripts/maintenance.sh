#!/usr/bin/env bash
# maintenance.sh ENV on|off: while ENV/MAINTENANCE exists the server answers 503 to everything.
source "$(dirname "$0")/lib.sh"
env="${1:?usage: maintenance.sh ENV on|off}"
dir="$(env_dir "$env")"
mkdir -p "$dir"
case "${2:-}" in
    on) date -u +%Y-%m-%dT%H:%M:%SZ > "$dir/MAINTENANCE" && echo "$env is in maintenance mode" ;;
    off) rm -f "$dir/MAINTENANCE" && echo "$env is serving traffic" ;;
    *) die "usage: maintenance.sh ENV on|off" ;;
esac
