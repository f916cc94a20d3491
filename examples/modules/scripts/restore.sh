#!/usr/bin/env bash
# restore.sh ENV: put back what backup.sh saved; here it only says so and records it.
set -euo pipefail
env="${1:?usage: restore.sh ENV}"
demo="$(cd "$(dirname "$0")/.." && pwd)/.demo"
[ -f "$demo/$env/backup" ] || { echo "error: $env has no backup" >&2; exit 1; }
cp "$demo/$env/backup" "$demo/$env/restored"
echo "restored $env from the backup taken while it ran $(cat "$demo/$env/backup")"
