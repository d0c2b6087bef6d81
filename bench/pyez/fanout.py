"""The seed's exec approach, run by PyEZ itself: a thread pool of 10; per node a new connection
(Device().open() with its defaults, which include gathering facts), cli(command), close()."""
from jnpr.junos import Device

from common import Phases, read_job, run_pool


def show_on_node(target, job):
    phases = Phases()
    dev = Device(host=target["host"], port=target["port"], user=job["user"], passwd=job["passwd"])
    dev.open()
    phases.mark("open")
    output = dev.cli(job["command"])
    phases.mark("cli")
    dev.close()
    phases.mark("close")
    if not output or "Junos" not in output:
        raise RuntimeError("unexpected output: %r" % (output[:200] if output else output))
    return phases.values


if __name__ == "__main__":
    run_pool(read_job(), show_on_node)
