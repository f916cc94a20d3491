#!/usr/bin/env python3
"""Writes the same DAG as a .pipe file and as a Makefile, for bench/run.sh.

usage: gen-dag.py SHAPE N COMMAND OUTDIR
  SHAPE  chain (each node needs the one before), wide (no edges), diamond (layers of 4:
         every node of a layer needs every node of the layer before)
  N      number of nodes (one stage with one step each in pipe, one target in make)
"""
import os
import sys


def edges(shape, n):
    if shape == "chain":
        return {i: [i - 1] if i > 0 else [] for i in range(n)}
    if shape == "wide":
        return {i: [] for i in range(n)}
    if shape == "diamond":
        width = 4
        return {i: [j for j in range((i // width - 1) * width, (i // width) * width) if j >= 0] for i in range(n)}
    raise SystemExit("unknown shape " + shape)


def main():
    shape, n, command, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(out, exist_ok=True)
    deps = edges(shape, n)
    with open(os.path.join(out, "dag.pipe"), "w") as f:
        f.write("pipeline dag\n\non push\n")
        for i in range(n):
            f.write("\nstage s%d {\n" % i)
            if deps[i]:
                f.write("  needs [%s]\n" % ", ".join("s%d" % j for j in deps[i]))
            f.write('  step "x" {\n    sh "%s"\n  }\n}\n' % command)
    with open(os.path.join(out, "Makefile"), "w") as f:
        f.write(".PHONY: all %s\n" % " ".join("s%d" % i for i in range(n)))
        f.write("all: %s\n" % " ".join("s%d" % i for i in range(n)))
        for i in range(n):
            f.write("s%d: %s\n\t@%s\n" % (i, " ".join("s%d" % j for j in deps[i]), command))


if __name__ == "__main__":
    main()
