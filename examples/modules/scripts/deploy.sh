#!/usr/bin/env bash
# deploy.sh ENV VERSION: point the environment at a built release and make sure its server runs.
# The server is Python's http.server serving ENV/current, a link switched in one rename.
set -euo pipefail
env="${1:?usage: deploy.sh ENV VERSION}"
version="${2:?usage: deploy.sh ENV VERSION}"
demo="$(cd "$(dirname "$0")/.." && pwd)/.demo"
case "$env" in
    staging) port=8093 ;;
    *) echo "error: unknown environment '$env'" >&2; exit 1 ;;
esac
[ -d "$demo/releases/$version" ] || { echo "error: release $version was never built" >&2; exit 1; }
mkdir -p "$demo/$env"
ln -sfn "../releases/$version" "$demo/$env/current.new"
mv -T "$demo/$env/current.new" "$demo/$env/current"
echo "deployed $version to $env"
pidfile="$demo/$env/server.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null; then
    exit 0
fi
# setsid, and output to a file: the server outlives this step.
setsid python3 -m http.server "$port" --bind 127.0.0.1 --directory "$demo/$env/current" \
    >> "$demo/$env/server.log" 2>&1 < /dev/null &
echo $! > "$pidfile"
for _ in $(seq 50); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/version', timeout=1)" 2> /dev/null; then
        echo "the $env server answers on http://127.0.0.1:$port"
        exit 0
    fi
    sleep 0.1
done
echo "error: the $env server did not start; see $demo/$env/server.log" >&2
exit 1
