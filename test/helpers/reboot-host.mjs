// A stand-in for a host's patch command in `cluster roll` tests: logs that it ran (to
// $ROLL_EXEC_LOG), prints a few lines like a package manager, optionally waits or fails, then
// asks the simulator to reboot the host ($MOLDCTL_HOST_ID) through its test hook.
//   node reboot-host.mjs HOOKS_URL [--down 60s] [--version V] [--sleep MS] [--fail-on NAME]
import {appendFileSync} from 'node:fs'

const [hooks, ...rest] = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = rest.indexOf(`--${name}`)
  return i === -1 ? fallback : rest[i + 1]
}

const name = process.env.MOLDCTL_HOST_NAME
if (process.env.ROLL_EXEC_LOG)
  appendFileSync(process.env.ROLL_EXEC_LOG, `${name} ${process.env.MOLDCTL_HOST_IP}\n`)
console.log(
  `patching ${name} (${process.env.MOLDCTL_HOST_HYPERVISOR}, cluster ${process.env.MOLDCTL_HOST_CLUSTER})`,
)
const sleep = process.env.ROLL_NO_SLEEP ? 0 : Number(opt('sleep', '0'))
if (sleep > 0) {
  console.log('started a long update')
  await new Promise((resolve) => {
    setTimeout(resolve, sleep)
  })
}

if (opt('fail-on') === name && !process.env.ROLL_FIXED) {
  console.log('Error: Failed to download metadata for repo baseos')
  console.error('dnf exited with status 1')
  process.exitCode = 3
} else {
  const query = new URLSearchParams({down: opt('down', '60s'), version: opt('version', 'patched')})
  const response = await fetch(`${hooks}/sim/hosts/${process.env.MOLDCTL_HOST_ID}/reboot?${query}`, {
    method: 'POST',
  })
  console.log(`reboot: ${response.status}`)
  process.exitCode = response.ok ? 0 : 1
}
