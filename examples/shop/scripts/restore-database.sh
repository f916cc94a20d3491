#!/usr/bin/env bash
# restore-database.sh ENV [latest|FILE]: replace the environment's database with a backup.
source "$(dirname "$0")/lib.sh"
env="${1:?usage: restore-database.sh ENV [latest|FILE]}"
which="${2:-latest}"
dir="$(env_dir "$env")"

if [ "$which" = latest ]; then
    backup="$(ls -1 "$dir"/backups/db-*.tar.gz 2> /dev/null | sort | tail -n 1)"
    [ -n "$backup" ] || die "$env has no backups to restore"
else
    backup="$which"
    [ -f "$backup" ] || die "no backup at $backup"
fi
restore="$(mktemp -d "$dir/.restore.XXXXXX")"
tar -xzf "$backup" -C "$restore"
rm -rf "$dir/db"
mv "$restore/db" "$dir/db"
rmdir "$restore"
echo "restored the $env database from $backup"
