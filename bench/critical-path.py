#!/usr/bin/env python3
"""The critical path of bench/run.sh's DAG of sleeps, as the steps take on this machine.

With 2 slots, 5 layers of 4 steps of `sleep 0.2` run as: in each layer, each slot runs 2 steps
one after the other, and the next layer starts when both slots are done. On paper that is 10 x
0.2 s; in fact a step is `bash -eo pipefail -c "sleep 0.2"`, which starts bash and then sleep
(several milliseconds on a slow machine), and a layer lasts as long as its slower slot. This
measures the path two ways, with nothing in between the steps (python's subprocess spawns as
make does):

  alone:     one step at a time: the median of SAMPLES single steps, times 10;
  schedule:  the schedule itself, 2 slots side by side as above, with no scheduler work between
             steps (median of SCHEDULE_SAMPLES runs): the best any scheduler can do here.

Prints "ALONE SCHEDULE" in seconds.

usage: critical-path.py [SAMPLES [SCHEDULE_SAMPLES]]
"""
import statistics
import subprocess
import sys
import threading
import time

STEP = ["bash", "-eo", "pipefail", "-c", "sleep 0.2"]


def alone(samples):
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        subprocess.run(STEP, check=True)
        times.append(time.perf_counter() - t)
    return 10 * statistics.median(times)


def slot(steps, failed):
    for _ in range(steps):
        if subprocess.run(STEP).returncode != 0:
            failed.append(True)


def schedule(samples):
    times = []
    for _ in range(samples):
        failed = []
        t = time.perf_counter()
        for _ in range(5):
            slots = [threading.Thread(target=slot, args=(2, failed)) for _ in range(2)]
            for s in slots:
                s.start()
            for s in slots:
                s.join()
        times.append(time.perf_counter() - t)
        if failed:
            sys.exit("critical-path.py: a step failed")
    return statistics.median(times)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print("%.4f %.4f" % (alone(n), schedule(m)))
