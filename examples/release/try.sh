#!/usr/bin/env bash
# Makes a scratch repository with a few conventional commits and a release tag, with the
# example in it, and prints its path. Then: cd into it and run ../pipe ... as README.md shows.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:-$(mktemp -d)/shop}"
mkdir -p "$DIR"
cd "$DIR"
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL="ada@example.com"
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL="ada@example.com"
git init -q -b main
git init -q --bare ../remote.git
git remote add origin ../remote.git
cp "$HERE/release.pipe" .
printf '.pipe/\ndist/\ndeps/\n' > .gitignore
echo "left-pad 1.3.0" > deps.lock
git add -A && git commit -q -m "feat: the shop opens"
git tag -a v1.0.0 -m "Release 1.0.0"
mkdir -p src docs
echo "total = round(sum)" > src/cart.txt && git add -A && git commit -q -m "fix(cart): round the total"
echo "export" > src/export.txt && git add -A && git commit -q -m "feat(orders): export to CSV"
echo "# Orders" > docs/orders.md && git add -A && git commit -q -m "docs: how to export orders"
echo "$DIR"
