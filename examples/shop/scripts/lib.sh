# Shared by the scripts in this folder; source it, do not run it.
# The demo "servers" are folders under examples/shop/.pipe-demo/: one per environment, plus a
# registry of release tarballs. Set PIPE_DEMO_DIR to put them somewhere else.
set -euo pipefail

SHOP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEMO_DIR="${PIPE_DEMO_DIR:-$SHOP_DIR/.pipe-demo}"
REGISTRY="$DEMO_DIR/registry"

die() {
    echo "error: $*" >&2
    exit 1
}

# env_dir ENV: the deployment directory of an environment, checked for a sane name.
env_dir() {
    case "$1" in
        staging | production) echo "$DEMO_DIR/$1" ;;
        *) die "unknown environment '$1' (use staging or production)" ;;
    esac
}

# env_port ENV: where the environment's server listens (matches the URLs in shop.pipe).
env_port() {
    case "$1" in
        staging) echo 8081 ;;
        production) echo 8082 ;;
    esac
}

# version_on PORT: the version the shop on 127.0.0.1:PORT reports at /version, or nothing.
version_on() {
    node -e '
        require("node:http").get(`http://127.0.0.1:${process.argv[1]}/version`, { timeout: 1000 }, (res) => {
            let body = "";
            res.on("data", (chunk) => (body += chunk));
            res.on("end", () => { try { process.stdout.write(JSON.parse(body).version || ""); } catch {} });
        }).on("timeout", function () { this.destroy(); }).on("error", () => {});
    ' "$1"
}
