// Preloaded (`node -r`) into a benchmarked child: at exit, writes the process's own resource
// usage (CPU microseconds, peak RSS) as JSON to the file named by MOLDCTL_BENCH_USAGE_FILE.
'use strict'
/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS file for `node -r` */
const {writeFileSync} = require('node:fs')

const file = process.env.MOLDCTL_BENCH_USAGE_FILE
if (file) {
  delete process.env.MOLDCTL_BENCH_USAGE_FILE
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKb: usage.maxRSS,
        systemCpuUs: usage.systemCPUTime,
        userCpuUs: usage.userCPUTime,
      }),
    )
  })
}
