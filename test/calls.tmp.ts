import {runCli, simEnv} from './helpers/cli.js'
import {startTestSim} from './helpers/sim.js'
const sim = await startTestSim({speed: 1})
const t0 = Date.now()
const r = await runCli(['host', 'maintenance', 'enter', 'kvm-host-01'], {env: {...simEnv(sim), MOLDCTL_POLL_MIN_MS: undefined, MOLDCTL_POLL_MAX_MS: undefined}})
const log = await sim.requests()
const i = log.findIndex((x) => x.command === 'prepareHostForMaintenance')
console.log('code', r.code, 'seconds', (Date.now() - t0) / 1000, 'total', log.length, 'from submit', log.length - i)
console.log(log.map((x) => x.command).join(' '))
console.log(r.stderr)
await sim.close()
