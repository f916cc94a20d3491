#!/usr/bin/env bash
# deploy.sh ENV VERSION: install a published release into the environment and (re)start its server.
# Layout: ENV/releases/VERSION/ (unpacked), ENV/current -> releases/VERSION, ENV/VERSION,
# ENV/deployments.log. IMAGE_DIGEST, when set, is recorded next to the version.
source "$(dirname "$0")/lib.sh"
env="${1:?usage: deploy.sh ENV VERSION}"
version="${2:?usage: deploy.sh ENV VERSION}"
dir="$(env_dir "$env")"
tarball="$REGISTRY/shop-$version.tar.gz"
[ -f "$tarball" ] || die "release $version is not in the registry ($tarball); package it first"

mkdir -p "$dir/releases" "$dir/db"
if [ ! -d "$dir/releases/$version" ]; then
    unpack="$(mktemp -d "$dir/releases/.unpack.XXXXXX")"
    tar -xzf "$tarball" -C "$unpack"
    mv "$unpack/shop" "$dir/releases/$version"
    rmdir "$unpack"
fi
# Switch in one rename so a reader never sees a half-switched `current`.
ln -sfn "releases/$version" "$dir/current.new"
mv -T "$dir/current.new" "$dir/current"
echo "$version" > "$dir/VERSION"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $version ${IMAGE_DIGEST:-no-image}" >> "$dir/deployments.log"
echo "deployed shop $version to $env"

# Restart the server when node is available (it is not needed to deploy, only to serve).
if command -v node > /dev/null; then
    "$(dirname "$0")/stop.sh" "$env"
    port="$(env_port "$env")"
    # setsid, and output to a file: the server leads a session of its own and outlives the step
    # (pipe stops whatever else a step leaves running when the step ends).
    SHOP_HOME="$dir" HOST=127.0.0.1 PORT="$port" setsid node "$dir/current/server.js" >> "$dir/server.log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$dir/server.pid"
    # Wait until it answers with this version, so that what comes next (migrate, verify) meets
    # the new release, not a server starting up or another one holding the port.
    for _ in $(seq 100); do
        if [ "$(version_on "$port")" = "$version" ]; then
            echo "started the $env server on http://localhost:$port (pid $pid, log $dir/server.log)"
            exit 0
        fi
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    rm -f "$dir/server.pid"
    kill "$pid" 2> /dev/null || true
    die "the $env server did not start on port $port; the end of $dir/server.log: $(tail -n 3 "$dir/server.log")"
fi
