import {Flags} from '@oclif/core'

import type {DoctorReport} from '../lib/doctor/rules.js'

import {BaseCommand} from '../base-command.js'
import {MoldctlError} from '../lib/core/errors.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override description = [
    "In order: the profile resolves (with the proxy used and why: --proxy, the profile, HTTPS_PROXY/HTTP_PROXY/NO_PROXY, or none); each endpoint answers as the API (through the proxy when one is used); TLS (chain, host name, days to expiry, or --insecure in use); authentication and the signing flavor; the clock offset against the server (signed requests expire 10 minutes after this machine's time); the account is a root admin; every API moldctl uses is available (listApis); the CA framework settings and the secured KVM hosts; with --libvirt-tls, whether libvirtd answers on its TLS port (16514) on each secured KVM host, as TLS live migration needs.",
    'Each check says ok, warn or fail, with a fix. Exit 0 when nothing failed, 3 when the profile, TLS or authentication failed, 1 for other failures.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --profile prod',
    '<%= config.bin %> doctor --url https://cloud.example.com --ca-file cloud-ca.pem',
    '<%= config.bin %> doctor --json',
    '<%= config.bin %> doctor --libvirt-tls',
  ]
  static override flags = {
    'libvirt-tls': Flags.boolean({
      summary:
        "Also connect to libvirtd's TLS port of every secured KVM host that is Up (TLS live migration).",
    }),
    'libvirt-tls-port': Flags.integer({
      default: 16_514,
      max: 65_535,
      min: 1,
      summary: "libvirtd's TLS port (tls_port in libvirtd.conf).",
    }),
  }
  static override summary = 'Check the connection to the management server end to end.'

  async run(): Promise<DoctorReport> {
    const [{MoldClient}, {doctorExitCode, renderDoctorReport, runDoctor}] = await Promise.all([
      import('../lib/api/client.js'),
      import('../lib/doctor/run.js'),
    ])
    const settings = await this.connectionSettings().catch((error: unknown) => {
      if (error instanceof MoldctlError) return error
      throw error
    })
    const resolved = settings instanceof MoldctlError ? undefined : settings
    const report = await runDoctor({
      client: async (flavor) =>
        flavor ? new MoldClient({...resolved!, flavor, retry: {attempts: 1, baseDelayMs: 0}}) : this.client(),
      libvirtTls: this.flags['libvirt-tls']
        ? {port: this.flags['libvirt-tls-port'], timeoutMs: 2000}
        : undefined,
      settings: resolved,
      settingsError: settings instanceof MoldctlError ? settings : undefined,
    })
    const code = doctorExitCode(report)
    if (this.jsonEnabled()) {
      if (code === 0) return report
      this.logJson(report)
    } else {
      this.log(await renderDoctorReport(report))
    }

    if (code !== 0) {
      const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.check)
      throw new MoldctlError(`${failed.length} check(s) failed: ${[...new Set(failed)].join(', ')}`, {
        exitCode: code,
      })
    }

    return report
  }
}
