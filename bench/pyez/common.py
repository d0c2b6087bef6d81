"""Shared by the PyEZ baselines: read the job from stdin, run it in a thread pool, print JSON timings."""
import json
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor


def read_job():
    """The job as JSON on stdin: {"targets": [{"host", "port"}], "user", "passwd", "workers", ...}."""
    return json.load(sys.stdin)


def run_pool(job, per_node):
    """Runs per_node(target, job) -> phases dict for every target, in a pool of job["workers"] threads."""
    # Device.cli() warns on every call ("CLI command is for debug use only"): not part of the measurement.
    warnings.simplefilter("ignore")

    def timed(target):
        started = time.monotonic()
        try:
            phases = per_node(target, job)
            return {"ok": True, "ms": (time.monotonic() - started) * 1000, "phases": phases}
        except Exception as err:  # one node failing must not stop the others (as in the seed)
            return {"ok": False, "ms": (time.monotonic() - started) * 1000, "error": "%s: %s" % (type(err).__name__, err)}

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=job["workers"]) as pool:
        results = list(pool.map(timed, job["targets"]))
    total_ms = (time.monotonic() - started) * 1000
    json.dump({"totalMs": total_ms, "results": results}, sys.stdout)
    sys.stdout.write("\n")


class Phases:
    """Milliseconds spent in each step of one node's work."""

    def __init__(self):
        self.values = {}
        self._last = time.monotonic()

    def mark(self, name):
        now = time.monotonic()
        self.values[name] = (now - self._last) * 1000
        self._last = now
