#!/usr/bin/env bash
# Run the integration tests against the Postgres and Redis services.
source "$(dirname "$0")/lib.sh"
cd "$SHOP_DIR/app"
: "${DATABASE_HOST:?set DATABASE_HOST to the Postgres host}"
: "${REDIS_HOST:?set REDIS_HOST to the Redis host}"
node --test test/integration.test.js
