// Preloaded (`node -r`) into a benchmarked child: at exit, writes the process's own resource
// usage (CPU microseconds, peak RSS) as JSON to the file named by MOLDCTL_BENCH_USAGE_FILE.
// Peak RSS is VmHWM of /proc/self/status where there is one (Linux): getrusage's maxrss of a
// child also counts the memory of the parent it was forked from (the kernel keeps the forked
// copy's high-water mark across exec), so beside a simulator of 100,000 hosts in the runner it
// read 450 MB for a child that never held 200 MB.
'use strict'
/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS file for `node -r` */
const {readFileSync, writeFileSync} = require('node:fs')

/** The kernel's high-water mark of this process's resident set, in kB (undefined off Linux). */
function highWaterKb() {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match) return Number(match[1])
  } catch {
    // No /proc here: getrusage's figure, below.
  }
}

const file = process.env.MOLDCTL_BENCH_USAGE_FILE
if (file) {
  delete process.env.MOLDCTL_BENCH_USAGE_FILE
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKb: highWaterKb() ?? usage.maxRSS,
        systemCpuUs: usage.systemCPUTime,
        userCpuUs: usage.userCPUTime,
      }),
    )
  })
}
