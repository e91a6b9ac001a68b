/**
 * `npm run bench` (after `npm run build`): runs the benchmarks, prints the table and writes
 * bench/results.json. Options and the benchmark list: bench/lib/runner.ts and bench/README.md.
 */
import {main} from './lib/runner.js'

process.exitCode = await main(process.argv.slice(2))
