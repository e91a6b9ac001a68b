import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {MoldctlError} from '../../lib/core/errors.js'

/** The simulator's port unless --port says otherwise (8080 is the management server's). */
export const SIM_DEFAULT_PORT = 8787

export default class SimServe extends BaseCommand<typeof SimServe> {
  static override baseFlags = {}
  static override description = `Run the Mold / CloudStack management-API simulator on this machine.
Serves /client/api like a real management server (signed API keys, login sessions, async jobs)
plus the test hooks /sim/requests and /sim/faults. Optional credentials come from the
MOLDCTL_SIM_API_KEY and MOLDCTL_SIM_SECRET_KEY environment variables (random otherwise).
Stops cleanly on Ctrl-C or SIGTERM.`
  static override enableJsonFlag = false
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 0 --write-profile sim',
    '<%= config.bin %> <%= command.id %> --flavor cloudstack --topology large --hosts 20000 --speed 100',
    '<%= config.bin %> <%= command.id %> --topology ./lab.yaml --state ./lab-state.json',
    '<%= config.bin %> <%= command.id %> --tls --ca-out ./sim-ca.pem --write-profile sim-tls',
  ]
  static override flags = {
    'ca-out': Flags.string({
      dependsOn: ['tls'],
      description: 'with --tls: write the CA certificate (PEM) that verifies the server here',
    }),
    flavor: Flags.string({
      default: 'mold',
      description: 'server to imitate: mold verifies HmacSHA256 signatures, cloudstack HmacSHA1',
      options: ['mold', 'cloudstack'],
    }),
    host: Flags.string({default: '127.0.0.1', description: 'address to listen on'}),
    hosts: Flags.integer({description: 'number of hypervisor hosts for --topology large', min: 1}),
    'job-start-delay': Flags.integer({
      description:
        'simulated milliseconds an async job waits in the queue before it runs (default 500; 0 = at once, as the benchmarks run)',
      min: 0,
    }),
    // Not 8080: that is a real management server's port, and a simulator answering there
    // could be taken for one (or fail because one runs on this machine).
    port: Flags.integer({
      default: SIM_DEFAULT_PORT,
      description: 'TCP port (0 = any free port)',
      max: 65_535,
      min: 0,
    }),
    speed: Flags.custom<number>({
      async parse(input) {
        const speed = Number(input)
        if (!(speed > 0)) throw new Error(`--speed must be a positive number, got "${input}"`)
        return speed
      },
    })({default: 1, description: 'simulated-time factor (10 = ten times faster than real time)'}),
    state: Flags.string({description: 'file to load the model from and save it to after every change'}),
    tls: Flags.boolean({
      description: "serve HTTPS with a certificate issued by the simulator's own root CA (listCaCertificate)",
    }),
    topology: Flags.string({default: 'small', description: 'small, large, or a YAML/JSON topology file'}),
    'write-profile': Flags.string({
      description: 'write a moldctl profile with this name pointing at the simulator',
    }),
  }

  async run(): Promise<void> {
    const {flags} = this
    const {startSimulator} = await import('../../sim/http/server.js')
    const sim = await startSimulator({
      apiKey: process.env.MOLDCTL_SIM_API_KEY || undefined,
      flavor: flags.flavor as 'cloudstack' | 'mold',
      host: flags.host,
      hosts: flags.hosts,
      jobStartDelayMs: flags['job-start-delay'],
      port: flags.port,
      secretKey: process.env.MOLDCTL_SIM_SECRET_KEY || undefined,
      speed: flags.speed,
      statePath: flags.state,
      tls: flags.tls,
      topology: flags.topology,
    }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new MoldctlError(`cannot start the simulator: port ${flags.port} on ${flags.host} is taken`, {
          suggestions: [`--port 0 picks a free port (printed with the URL); or choose another with --port N`],
        })
      }

      throw new MoldctlError(
        `cannot start the simulator: ${error instanceof Error ? error.message : String(error)}`,
      )
    })
    // Listen for the stop signals before anything is printed: a supervisor that reads the URL
    // may stop the simulator at once, before the profile below is written.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    this.log(`Simulator (${sim.flavor}) listening on ${sim.url}`)
    this.log(`API key:    ${sim.apiKey}`)
    this.log(`Secret key: ${sim.secretKey}`)
    this.log(`Login:      ${sim.adminUsername} / ${sim.adminPassword} (domain ROOT)`)
    const {writeSimCaFile, writeSimProfile} = await import('../../lib/config/sim-profile.js')
    let cafile: string | undefined
    if (sim.caCertificatePem) {
      cafile = writeSimCaFile(sim.caCertificatePem, sim.port, flags['ca-out'])
      this.log(`CA file:    ${cafile} (verifies the server: --ca-file ${cafile})`)
    }

    if (flags['write-profile']) {
      const name = flags['write-profile']
      const file = await writeSimProfile(this.config.configDir, name, {...sim, cafile})
      this.log(`Profile "${name}" written to ${file}`)
    }

    await stopped
    await sim.close()
    this.logToStderr('Simulator stopped')
  }
}
