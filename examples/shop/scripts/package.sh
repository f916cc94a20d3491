#!/usr/bin/env bash
# package.sh VERSION: build dist/shop-VERSION.tar.gz from app/ and publish it to the demo registry.
# A published release is immutable: publishing the same version again with other contents fails.
source "$(dirname "$0")/lib.sh"
version="${1:?usage: package.sh VERSION}"
[[ "$version" =~ ^[A-Za-z0-9._-]+$ ]] || die "'$version' is not a usable version name"

cd "$SHOP_DIR"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/shop" dist "$REGISTRY"
cp app/*.js app/package.json "$stage/shop/"
cp -r app/migrations "$stage/shop/"
# app/BROKEN (an empty file) makes a broken release, whose health check fails once deployed: the
# tests pass, so it gets as far as staging, where verify catches it and it is rolled back.
if [ -e app/BROKEN ]; then
    touch "$stage/shop/BROKEN"
    echo "app/BROKEN is there: packaging a broken release"
fi
echo "$version" > "$stage/shop/VERSION"
tarball="dist/shop-$version.tar.gz"
# Fixed owner, order and times make the tarball reproducible, so republishing identical code is fine.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=2000-01-01 -C "$stage" -cf - shop | gzip -n > "$tarball"

published="$REGISTRY/shop-$version.tar.gz"
if [ -e "$published" ] && ! cmp -s "$published" "$tarball"; then
    die "release $version is already published with different contents; pick a new version"
fi
cp "$tarball" "$published"
echo "packaged $tarball ($(wc -c < "$tarball") bytes) and published $published"

# Outputs for the pipeline: `steps.package.tarball` and `steps.package.sha256`.
if [ -n "${PIPE_OUTPUT:-}" ]; then
    echo "tarball=$tarball" >> "$PIPE_OUTPUT"
    echo "sha256=$(sha256sum "$tarball" | cut -d' ' -f1)" >> "$PIPE_OUTPUT"
fi
