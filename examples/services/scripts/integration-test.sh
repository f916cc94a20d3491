#!/bin/sh
# The app's integration tests, cut down to what the stand-ins answer: the database greets
# every connection with "READY <database name>", the cache serves /ping. Runs inside the
# stage's container, which reaches the services by their names.
set -eu
echo "database at $DATABASE_HOST: $(nc "$DATABASE_HOST" 5432 </dev/null)"
nc "$DATABASE_HOST" 5432 </dev/null | grep -q "READY shop_test"
echo "cache at $CACHE_URL: $(wget -q -O- "$CACHE_URL/ping")"
[ "$(wget -q -O- "$CACHE_URL/ping")" = PONG ]
# The password reaches the tests as an environment variable; pipe masks it in every log.
echo "connecting with password $DB_PASSWORD"
echo "integration tests passed in $(hostname)"
