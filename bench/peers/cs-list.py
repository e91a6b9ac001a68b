"""The python `cs` client (Debian's python3-cs) as a peer of `moldctl host list` in the benchmarks.

Lists every hypervisor host (type=Routing, what `moldctl host list` asks for) with the library's
own paging, `listHosts(fetch_list=True)`: pages of cs.client.PAGE_SIZE (500) asked one after the
other until `count` hosts have come, all held in one list.

    cs-list.py          one line per host (name, state, resource state, IP, hypervisor, cluster)
    cs-list.py --json   the hosts as indented JSON (2 spaces), as `moldctl host list --json`

The endpoint and keys come from the environment, where the library's read_config looks for them
(CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET), never from the command line.

With MOLDCTL_BENCH_USAGE_FILE set, it writes at exit the record bench/lib/usage-preload.cjs
writes for a node child: its own user and system CPU (getrusage of itself, in microseconds) and
peak RSS as VmHWM of /proc/self/status, the kernel's high-water mark of its resident set, the
figure the CLI's is. Not ru_maxrss: the kernel carries the high-water mark of the runner's forked
copy across exec into it, so beside a large simulator it would report the runner's size.
"""

import atexit
import json
import os
import resource
import sys

USAGE_FILE = os.environ.pop("MOLDCTL_BENCH_USAGE_FILE", None)


def write_usage():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/status") as status:
        hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(USAGE_FILE, "w") as out:
        json.dump(
            {
                "maxRssKb": hwm,
                "systemCpuUs": round(usage.ru_stime * 1e6),
                "userCpuUs": round(usage.ru_utime * 1e6),
            },
            out,
        )


if USAGE_FILE:
    # Registered before the library is imported, so its import is inside the measure as moldctl's is.
    atexit.register(write_usage)

from cs import CloudStack, read_config  # noqa: E402 (after the usage hook, on purpose)

hosts = CloudStack(**read_config()).listHosts(type="Routing", fetch_list=True)
if sys.argv[1:] == ["--json"]:
    # The whole text, then one write: json.dump(hosts, sys.stdout, indent=2) wrote it in small
    # pieces and took 5 times as long (20,000 hosts: 11-14 s instead of 2-2.4 s), its peak 1/3.
    sys.stdout.write(json.dumps(hosts, indent=2))
    sys.stdout.write("\n")
else:
    for h in hosts:
        print(
            h["name"],
            h.get("state", ""),
            h.get("resourcestate", ""),
            h.get("ipaddress", ""),
            h.get("hypervisor", ""),
            h.get("clustername", ""),
            sep="\t",
        )
