#!/usr/bin/env bash
# Run the unit tests with Node's built-in test runner.
source "$(dirname "$0")/lib.sh"
cd "$SHOP_DIR/app"
echo "node $(node --version)"
node --test test/cart.test.js
