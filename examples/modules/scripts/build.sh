#!/usr/bin/env bash
# build.sh VERSION BROKEN: make the release folder the servers serve. A broken release has no
# health endpoint, so verify fails and the stage rolls back.
set -euo pipefail
version="${1:?usage: build.sh VERSION BROKEN}"
broken="${2:-false}"
[[ "$version" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "error: '$version' is not a usable version name" >&2; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)/.demo/releases/$version"
rm -rf "$root"
mkdir -p "$root"
echo "{\"version\":\"$version\"}" > "$root/version"
if [ "$broken" = "true" ]; then
    echo "built $version (broken: no /health)"
else
    echo "{\"status\":\"ok\",\"version\":\"$version\"}" > "$root/health"
    echo "built $version"
fi
