#!/bin/sh
# Compiles pipe's native spawner (runner/src/main/c/pipe-spawner.c) when a C compiler is there.
# The runner module's build calls it; pipe looks for the program next to its jar (or classes)
# and starts commands through spawner.pl, with perl, where it is missing. So a machine without
# a compiler still builds pipe: this script says so and succeeds.
#   scripts/build-spawner.sh SOURCE OUTPUT
src=$1
out=$2
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "pipe: no C compiler ($cc), so no native spawner: pipe will start commands through perl, a little more slowly." >&2
    exit 0
fi
[ -x "$out" ] && [ "$out" -nt "$src" ] && exit 0
if "$cc" -O2 -Wall -o "$out.tmp" "$src" 2>"$out.log"; then
    mv -f "$out.tmp" "$out"
    rm -f "$out.log"
else
    rm -f "$out.tmp"
    echo "pipe: the native spawner did not compile (see $out.log): pipe will start commands through perl, a little more slowly." >&2
fi
exit 0
