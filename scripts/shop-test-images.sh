#!/usr/bin/env bash
# Makes the images examples/shop's CI stages name, as local stand-ins, for ShopDeployTest and
# for trying the shop's staging and production path on a machine with no registry:
#   node:18-alpine, node:20-alpine  this machine's own node and bash, with the libraries they
#                                   load, and busybox for the usual tools (one image, two tags:
#                                   both run the node installed here, whatever its version)
#   postgres:16-alpine              the node image plus a server that answers the Postgres
#                                   SSLRequest, and a pg_isready for the ready check
#   redis:7-alpine                  the node image plus an in-memory key-value server that
#                                   speaks RESP, and a redis-cli for the ready check
# Sources of the servers and tools: scripts/shop-standins/. Nothing is pulled. Each image
# carries the label dev.pipe.standin; an image of the same name without it (a real one) is
# left alone. Safe to run again: what is there already is kept (SHOP_STANDINS_REBUILD=1
# makes them again). Needs a Docker engine (scripts/docker-test-env.sh starts one), node,
# bash and busybox on this machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
standins="$here/shop-standins"
LABEL=dev.pipe.standin

# ours IMAGE: the image is there and is one of these stand-ins.
ours() {
  [ "$(docker image inspect --format "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null)" != "" ]
}
# there IMAGE: the image is there, stand-in or not.
there() { docker image inspect "$1" >/dev/null 2>&1; }
# image_id IMAGE: its id, or nothing when it is not there.
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# wanted IMAGE: make the image unless a real one or (without SHOP_STANDINS_REBUILD) ours is there.
wanted() {
  if there "$1" && ! ours "$1"; then
    echo "shop-test-images: $1 is there and is not a stand-in; keeping it" >&2
    return 1
  fi
  ! there "$1" || [ "${SHOP_STANDINS_REBUILD:-}" = 1 ]
}

for tool in docker node bash busybox ldd; do
  command -v "$tool" >/dev/null 2>&1 || { echo "shop-test-images: $tool is needed but not on PATH" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

BASE=pipe-test/shop-node:1
if ! there "$BASE" || [ "${SHOP_STANDINS_REBUILD:-}" = 1 ]; then
  root="$work/rootfs"
  mkdir -p "$root"/{bin,usr/bin,usr/local/bin,etc,tmp,root,home/node}
  chmod 1777 "$root/tmp"
  node_bin="$(readlink -f "$(command -v node)")"
  bash_bin="$(readlink -f "$(command -v bash)")"
  cp "$node_bin" "$root/usr/local/bin/node"
  cp "$bash_bin" "$root/bin/bash"
  # The shared libraries node and bash load, with the dynamic loader, at the same paths.
  for lib in $( (ldd "$node_bin"; ldd "$bash_bin") | grep -o '/[^ ]*' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp "$(readlink -f "$(command -v busybox)")" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  ln -s ../../bin/busybox "$root/usr/bin/env"
  ln -s ../../bin/bash "$root/usr/bin/bash"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
  chown 1000:1000 "$root/home/node"
  version="$("$node_bin" --version)"
  tar -C "$root" -c . | docker import \
    -c "LABEL $LABEL=node" \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "ENV NODE_VERSION=${version#v}" \
    -c 'CMD ["node"]' - "$BASE" >/dev/null
  echo "shop-test-images: made $BASE (node $version and bash from this machine, busybox)" >&2
fi
for tag in node:20-alpine node:18-alpine; do
  if there "$tag" && ! ours "$tag"; then
    echo "shop-test-images: $tag is there and is not a stand-in; keeping it" >&2
  elif [ "$(image_id "$tag")" != "$(image_id "$BASE")" ]; then
    docker tag "$BASE" "$tag"
    echo "shop-test-images: tagged $BASE as $tag" >&2
  fi
done

# service IMAGE NAME TOOL: an image FROM the node stand-in, running scripts/shop-standins/NAME.js,
# with TOOL (the ready check's command) on its PATH.
service() {
  local image="$1" name="$2" tool="$3" ctx="$work/$2"
  wanted "$image" || return 0
  mkdir -p "$ctx"
  cp "$standins/$name.js" "$standins/$tool" "$ctx/"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE
LABEL $LABEL=$name
COPY $name.js /usr/local/lib/standin/$name.js
COPY $tool /usr/local/bin/$tool
CMD ["node", "/usr/local/lib/standin/$name.js"]
DOCKERFILE
  # The legacy builder warns on every build; its output matters only when the build fails.
  if ! docker build -q -t "$image" "$ctx" >"$ctx.log" 2>&1; then
    cat "$ctx.log" >&2
    exit 1
  fi
  echo "shop-test-images: made $image" >&2
}
service postgres:16-alpine postgres pg_isready
service redis:7-alpine redis redis-cli
