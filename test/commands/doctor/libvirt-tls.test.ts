import assert from 'node:assert/strict'
import {type AddressInfo, createServer, type Server} from 'node:net'
import {after, before, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

// doctor --libvirt-tls: libvirtd's TLS port on each secured Up KVM host (the guide: TLS live
// migration needs libvirtd on 16514, allowed by the firewall). Hosts on loopback addresses: one
// with a listener on the port, one without, one not secured (not probed), one Down (not probed).

interface Check {
  check: string
  detail: string
  fix?: string
  status: string
}

let sim: TestSim
let server: Server
let port: number

before(async () => {
  server = createServer((socket) => socket.end())
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  sim = await startTestSim({
    topology: {
      seed: 'libvirt-tls',
      zones: [
        {
          name: 'zone-1',
          pods: [
            {
              clusters: [
                {
                  hosts: [
                    {ipaddress: '127.0.0.1', name: 'kvm-listening'},
                    {ipaddress: '127.0.0.2', name: 'kvm-closed'},
                    {details: {secured: 'false'}, ipaddress: '127.0.0.3', name: 'kvm-unsecured'},
                    {ipaddress: '127.0.0.4', name: 'kvm-down', state: 'Down'},
                  ],
                  hypervisor: 'KVM',
                  name: 'kvm-cluster-1',
                },
              ],
              name: 'pod-1',
            },
          ],
        },
      ],
    },
  })
})

after(async () => {
  await sim.close()
  await new Promise((resolve) => {
    server.close(resolve)
  })
})

async function libvirtCheck(args: string[]): Promise<{check: Check | undefined; code: number}> {
  const r = await runCli(['doctor', '--json', ...args], {env: simEnv(sim)})
  const report = json<{checks: Check[]}>(r)
  return {check: report.checks.find((c) => c.check === 'libvirt-tls'), code: r.code}
}

describe('doctor --libvirt-tls', () => {
  it('is not run without the flag', async () => {
    const {check} = await libvirtCheck([])
    assert.equal(check, undefined)
  })

  it('names the secured Up host whose port refuses, as a warning with the fix', async () => {
    const {check, code} = await libvirtCheck(['--libvirt-tls', '--libvirt-tls-port', String(port)])
    assert.equal(code, 0)
    assert.equal(check?.status, 'warn')
    assert.match(
      check!.detail,
      new RegExp(
        `^1 of 2 secured KVM hosts do not answer on TLS port ${port}: kvm-closed \\(127\\.0\\.0\\.2: refused\\)$`,
      ),
    )
    assert.match(check!.fix!, /listen_tls=1/)
    assert.match(check!.fix!, new RegExp(`${port}/tcp`))
  })

  it('is ok when every probed host answers', async () => {
    const closed = sim.model.state.hosts.find((h) => h.name === 'kvm-closed')!
    closed.status = 'Disconnected'
    try {
      const {check} = await libvirtCheck(['--libvirt-tls', '--libvirt-tls-port', String(port)])
      assert.equal(check?.status, 'ok')
      assert.match(
        check!.detail,
        new RegExp(`libvirtd answers on TLS port ${port} on all 1 secured KVM hosts`),
      )
    } finally {
      closed.status = 'Up'
    }
  })

  it('a bad port is a usage error', async () => {
    const r = await runCli(['doctor', '--libvirt-tls', '--libvirt-tls-port', '70000'], {env: simEnv(sim)})
    assert.equal(r.code, 2)
  })
})
