#!/usr/bin/env bash
# Lint the app: every file must parse, and app code logs through process.stdout, never console.log.
source "$(dirname "$0")/lib.sh"
cd "$SHOP_DIR/app"

status=0
for file in *.js test/*.js; do
    node --check "$file" || status=1
done
if grep -n 'console\.log' ./*.js; then
    echo "lint: console.log found in app code (above); write to process.stdout instead" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "lint: ok"
exit "$status"
