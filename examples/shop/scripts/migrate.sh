#!/usr/bin/env bash
# migrate.sh ENV: apply the current release's migrations that the environment's database lacks.
# The demo database is ENV/db/shop.sql; ENV/db/schema_migrations lists what was applied.
source "$(dirname "$0")/lib.sh"
env="${1:?usage: migrate.sh ENV}"
dir="$(env_dir "$env")"
[ -d "$dir/current/migrations" ] || die "$env has no current release; deploy first"

mkdir -p "$dir/db"
touch "$dir/db/shop.sql" "$dir/db/schema_migrations"
applied=0
for migration in "$dir"/current/migrations/*.sql; do
    name="$(basename "$migration")"
    if ! grep -qxF "$name" "$dir/db/schema_migrations"; then
        { echo "-- $name"; cat "$migration"; } >> "$dir/db/shop.sql"
        echo "$name" >> "$dir/db/schema_migrations"
        echo "applied $name"
        applied=$((applied + 1))
    fi
done
echo "$env database is up to date ($applied migration(s) applied)"
