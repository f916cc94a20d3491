#!/usr/bin/env bash
# Makes a Docker engine and the Docker tests' image available on this machine, for .ci/run.
# No container registry is reachable from CI, so nothing is pulled: the test image is imported
# from a root file system made of Debian's busybox-static (a shell, httpd, nc and the usual
# tools, one static binary). Safe to run again: it starts dockerd only when no engine answers
# and imports the image only when it is missing.
set -euo pipefail

IMAGE="${PIPE_TEST_IMAGE:-pipe-test/busybox:1}"

have_engine() { docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "docker-test-env: need docker.io and busybox-static but not running as root" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io busybox-static >/dev/null
fi

if ! have_engine; then
  if [ "$(id -u)" != 0 ]; then
    echo "docker-test-env: no Docker engine answers and only root can start one" >&2
    exit 1
  fi
  log=/var/log/pipe-dockerd.log
  echo "docker-test-env: starting dockerd (log in $log)" >&2
  nohup dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    have_engine && break
    sleep 1
  done
  if ! have_engine; then
    echo "docker-test-env: dockerd did not come up; the end of its log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/var/www"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  echo "docker-test-env: made the test image $IMAGE" >&2
fi
