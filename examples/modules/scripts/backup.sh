#!/usr/bin/env bash
# backup.sh ENV: remember which release ENV runs, as a database dump would be taken before a deploy.
set -euo pipefail
env="${1:?usage: backup.sh ENV}"
demo="$(cd "$(dirname "$0")/.." && pwd)/.demo"
mkdir -p "$demo/$env"
if [ -e "$demo/$env/current" ]; then
    basename "$(readlink "$demo/$env/current")" > "$demo/$env/backup"
    echo "backed up $env (running $(cat "$demo/$env/backup"))"
else
    echo "none" > "$demo/$env/backup"
    echo "backed up $env (nothing deployed yet)"
fi
