import {Socket} from 'node:net'

import type {MoldClient} from '../api/client.js'
import type {DoctorCheck} from './rules.js'

import {fetchHosts} from '../api/fetch.js'

/*
 * The admin guide ("Security"): a secured KVM host live-migrates only over TLS, so libvirtd must
 * listen on its TLS port (16514 by default, tls_port in libvirtd.conf) and the firewall must
 * allow it. From where moldctl runs, a TCP connection to each secured Up KVM host's port is the
 * closest check it can make: a refused or silent port is a warning (this machine may simply sit
 * outside the hosts' network), never a failure.
 */

export const LIBVIRT_TLS_PORT = 16_514
const PROBE_LIMIT = 50
const CONCURRENCY = 16

export type PortState = 'closed' | 'open' | 'timeout'

export function probePort(host: string, port: number, timeoutMs: number): Promise<PortState> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (state: PortState) => {
      socket.destroy()
      resolve(state)
    }

    socket.setTimeout(timeoutMs, () => done('timeout'))
    socket.once('connect', () => done('open'))
    socket.once('error', () => done('closed'))
    socket.connect(port, host)
  })
}

export interface HostPort {
  ip: string
  name: string
  state: PortState
}

/** Judges the probes: every port open is ok; any closed or silent is a warning with the fix. */
export function judgeLibvirtTls(results: HostPort[], port: number, skipped: number): DoctorCheck {
  const open = results.filter((r) => r.state === 'open')
  const bad = results.filter((r) => r.state !== 'open')
  const more = skipped > 0 ? ` (the first ${results.length} probed; ${skipped} more not)` : ''
  if (results.length === 0) {
    return {check: 'libvirt-tls', detail: 'no secured KVM host is Up: nothing to probe', status: 'skip'}
  }

  if (bad.length === 0) {
    return {
      check: 'libvirt-tls',
      detail: `libvirtd answers on TLS port ${port} on all ${open.length} secured KVM hosts${more}`,
      status: 'ok',
    }
  }

  const listed = bad
    .slice(0, 10)
    .map((r) => `${r.name} (${r.ip}: ${r.state === 'closed' ? 'refused' : 'no answer'})`)
    .join(', ')
  return {
    check: 'libvirt-tls',
    detail: `${bad.length} of ${results.length} secured KVM hosts do not answer on TLS port ${port}${more}: ${listed}`,
    fix: `on each: check that libvirtd listens with TLS (listen_tls=1, e.g. ss -ltn | grep ${port}; re-import the certificate with keystore-cert-import, which runs cloudstack-setup-agent -s) and that the firewall allows ${port}/tcp between the hosts; this machine may also be outside their network`,
    status: 'warn',
  }
}

/** Probes the secured Up KVM hosts (up to 50, 16 at a time). */
export async function checkLibvirtTls(
  client: MoldClient,
  opts: {port: number; timeoutMs: number},
): Promise<DoctorCheck> {
  const hosts = (await fetchHosts(client, {hypervisor: 'KVM', type: 'Routing'})).filter(
    (h) => h.state === 'Up' && (h.details as Record<string, string> | undefined)?.secured === 'true',
  )
  const targets = hosts.slice(0, PROBE_LIMIT)
  const results: HostPort[] = []
  for (let i = 0; i < targets.length; i += CONCURRENCY) {
    // eslint-disable-next-line no-await-in-loop
    const batch = await Promise.all(
      targets.slice(i, i + CONCURRENCY).map(async (h) => ({
        ip: String(h.ipaddress),
        name: String(h.name),
        state: await probePort(String(h.ipaddress), opts.port, opts.timeoutMs),
      })),
    )
    results.push(...batch)
  }

  return judgeLibvirtTls(results, opts.port, hosts.length - targets.length)
}
