"""The seed's config dry-run, run by PyEZ itself: a thread pool of 5; per node open, Config lock,
load (merge, text), diff, commit_check, rollback, unlock, close."""
from jnpr.junos import Device
from jnpr.junos.utils.config import Config

from common import Phases, read_job, run_pool


def plan_on_node(target, job):
    phases = Phases()
    dev = Device(host=target["host"], port=target["port"], user=job["user"], passwd=job["passwd"])
    dev.open()
    phases.mark("open")
    try:
        cu = Config(dev)
        cu.lock()
        phases.mark("lock")
        try:
            cu.load(job["config"], format="text", merge=True)
            phases.mark("load")
            diff = cu.diff()
            phases.mark("diff")
            if not diff:
                raise RuntimeError("empty diff: the change was not loaded")
            cu.commit_check()
            phases.mark("commit_check")
            cu.rollback()
            phases.mark("rollback")
        finally:
            cu.unlock()
            phases.mark("unlock")
    finally:
        dev.close()
        phases.mark("close")
    return phases.values


if __name__ == "__main__":
    run_pool(read_job(), plan_on_node)
