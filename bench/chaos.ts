/**
 * `npm run chaos` (after `npm run build`): the reliability suite. Every simulator fault against
 * the commands it concerns, every family of bad input, secret canaries, and the runs that may
 * lose data; one line of figures. Scenarios: bench/chaos/scenarios/ (bench/chaos/registry.ts).
 */
import {main} from './chaos/run.js'

process.exitCode = await main(process.argv.slice(2))
