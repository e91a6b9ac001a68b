/**
 * API calls made while waiting for a 60-second maintenance. The simulator runs at real speed
 * (speed 1) with a cluster of two KVM hosts; the one put into maintenance carries three running
 * VMs of 10 GiB, each taking 20 s to live-migrate (10 s + 1 s per GiB), one after another: the
 * drain takes 60 s of real time, as does the CLI's polling (its pauses grow in real time).
 * `moldctl host maintenance enter` runs with its default polling; the simulator's request log
 * gives the calls from the prepareHostForMaintenance submission to the end of the command, and
 * the lateness is how long after the host reached Maintenance in the simulator the command
 * ended (the simulator's state is looked at every 20 ms in this process).
 * Targets: ≤ 17 calls, ≤ 2 s late. One run (it takes a minute).
 */
import type {TopologySpec} from '../src/sim/state/topology/spec.js'
import type {BenchOptions, BenchResult} from './lib/types.js'

import {startSimulator} from '../src/sim/http/server.js'
import {cliEnv, measureCli, scratchDir} from './lib/process.js'
import {measure, verdict} from './lib/stats.js'

const TARGET_CALLS = 17
const TARGET_LATE_MS = 2000
const HOST = 'kvm-drain-01'

/** One KVM cluster: the host to drain (3 × 10 GiB VMs, 60 s of migrations) and a spare host. */
export function drainTopology(): TopologySpec {
  const vm = (name: string) => ({cpunumber: 2, cpuspeed: 2000, memory: 10 * 1024, name})
  return {
    seed: 'moldctl-bench-maintenance',
    zones: [
      {
        name: 'zone-bench',
        pods: [
          {
            clusters: [
              {
                hosts: [
                  {memorytotal: '256GiB', name: HOST, vms: [vm('vm-a'), vm('vm-b'), vm('vm-c')]},
                  {memorytotal: '256GiB', name: 'kvm-spare-01'},
                ],
                hypervisor: 'KVM',
                name: 'kvm-bench',
              },
            ],
            name: 'pod-bench',
          },
        ],
      },
    ],
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  // The smoke run drains in 60 simulated seconds at 1000× (60 ms); the CLI still polls in real time.
  const speed = opts.smoke ? 1000 : 1
  const runs = opts.smoke ? 1 : (opts.runs ?? 1)
  const waiting: number[] = []
  const total: number[] = []
  const wall: number[] = []
  const late: number[] = []
  let timeline: string[] = []
  for (let i = 0; i < runs; i++) {
    const sim = await startSimulator({port: 0, speed, topology: drainTopology()})
    const home = scratchDir('maintenance')
    try {
      const env = cliEnv(home.path, {
        MOLDCTL_API_KEY: sim.apiKey,
        MOLDCTL_SECRET_KEY: sim.secretKey,
        MOLDCTL_URL: sim.url,
      })
      opts.log(
        `maintenance-calls: run ${i + 1}/${runs}: draining ${HOST} (60 s of migrations at speed ${speed})`,
      )
      let drainedAt: number | undefined
      const watch = setInterval(() => {
        const h = sim.model.state.hosts.find((x) => x.name === HOST)
        if (drainedAt === undefined && h?.resourceState === 'Maintenance') drainedAt = Date.now()
      }, 20)
      const result = await measureCli(['host', 'maintenance', 'enter', HOST, '--yes'], {env}).finally(() =>
        clearInterval(watch),
      )
      const endedAt = Date.now()
      if (result.code !== 0) throw new Error(`maintenance enter exited ${result.code}: ${result.stderr}`)
      const host = sim.model.state.hosts.find((h) => h.name === HOST)
      if (host?.resourceState !== 'Maintenance')
        throw new Error(`${HOST} is ${host?.resourceState}, not Maintenance`)
      const log = sim.requestLog
      const submit = log.findIndex((r) => r.command === 'prepareHostForMaintenance')
      if (submit === -1) throw new Error('prepareHostForMaintenance was never called')
      const submittedAt = Date.parse(log[submit].time)
      const after = log.slice(submit + 1)
      waiting.push(after.length)
      total.push(log.length)
      wall.push(result.wallMs)
      if (drainedAt === undefined) throw new Error(`the watch never saw ${HOST} in Maintenance`)
      late.push(endedAt - drainedAt)
      timeline = after.map((r) => `${((Date.parse(r.time) - submittedAt) / 1000).toFixed(1)} s ${r.command}`)
      opts.log(
        `maintenance-calls: ${after.length} calls after the submission, ${log.length} in all, ended ${((endedAt - drainedAt) / 1000).toFixed(1)} s after the drain`,
      )
    } finally {
      home.remove()
      await sim.close()
    }
  }

  const judge = !opts.smoke
  const measures = [
    measure(
      {
        judge,
        key: 'waiting',
        name: 'API calls from the submission to the end',
        target: {max: TARGET_CALLS, text: `≤ ${TARGET_CALLS}`},
        unit: 'calls',
      },
      waiting,
    ),
    measure(
      {
        judge,
        key: 'late',
        name: 'seconds from the drain’s end to the command’s',
        target: {max: TARGET_LATE_MS, text: '≤ 2 s'},
        unit: 'ms',
      },
      late,
    ),
    measure({key: 'total', name: 'API calls of the whole command', unit: 'calls'}, total),
    measure({key: 'wall', name: 'host maintenance enter, wall', unit: 'ms'}, wall),
  ]
  return {
    details: {host: HOST, runs, speed, timelineAfterSubmission: timeline},
    id: 'maintenance-calls',
    measures,
    notes: ['the calls before the submission resolve the host and check the capacity of its cluster'],
    pass: judge ? verdict(measures) : undefined,
    title: 'Waiting for a 60-second maintenance',
  }
}
