#!/usr/bin/env bash
# backup-database.sh ENV: archive the environment's database to ENV/backups/ and drop backups
# older than 30 days.
source "$(dirname "$0")/lib.sh"
env="${1:?usage: backup-database.sh ENV}"
dir="$(env_dir "$env")"

mkdir -p "$dir/db" "$dir/backups"
backup="$dir/backups/db-$(date -u +%Y%m%dT%H%M%S%NZ).tar.gz"
tar -czf "$backup" -C "$dir" db
find "$dir/backups" -name 'db-*.tar.gz' -mtime +30 -print -delete
echo "backed up the $env database to $backup"
