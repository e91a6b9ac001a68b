import fc from 'fast-check'
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/lib/core/errors.js'
import {
  hostEnvironment,
  orderHosts,
  parseDuration,
  type RollCandidate,
  substituteCommand,
} from '../../../src/lib/roll/plan.js'

const facts = {
  cluster: 'kvm-cluster-1',
  clusterId: 'c1',
  hypervisor: 'KVM',
  id: '3d26c42e-d50c-42b8-922a-e7f1b5d31033',
  ip: '10.10.0.13',
  name: 'kvm-host-03',
}

describe('cluster roll plan', () => {
  it('substitutes the placeholders, quoted for the shell', () => {
    assert.equal(
      substituteCommand(
        "ssh root@{ip} 'dnf -y update && systemctl reboot' # {name} {id} {cluster} {hypervisor}",
        facts,
      ),
      "ssh root@10.10.0.13 'dnf -y update && systemctl reboot' # kvm-host-03 3d26c42e-d50c-42b8-922a-e7f1b5d31033 kvm-cluster-1 KVM",
    )
    assert.equal(substituteCommand('echo {{name}} {name}', facts), 'echo {name} kvm-host-03')
    assert.equal(
      substituteCommand('echo {name}', {...facts, name: "it's; rm -rf /"}),
      String.raw`echo 'it'\''s; rm -rf /'`,
    )
    assert.throws(() => substituteCommand('echo {host}', facts), UsageError)
    assert.throws(() => substituteCommand('echo {name', facts), UsageError)
  })

  it('a substituted value is always one word to the shell, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.string({maxLength: 30}).filter((s) => !s.includes('\0')),
        (name) => {
          const command = substituteCommand('printf %s {name}', {...facts, name})
          assert.equal(execFileSync('/bin/sh', ['-c', command], {encoding: 'utf8'}), name)
        },
      ),
      {numRuns: 60},
    )
  })

  it('gives the host facts as environment variables', () => {
    assert.deepEqual(hostEnvironment(facts, 'r1'), {
      MOLDCTL_HOST_CLUSTER: 'kvm-cluster-1',
      MOLDCTL_HOST_CLUSTER_ID: 'c1',
      MOLDCTL_HOST_HYPERVISOR: 'KVM',
      MOLDCTL_HOST_ID: facts.id,
      MOLDCTL_HOST_IP: '10.10.0.13',
      MOLDCTL_HOST_NAME: 'kvm-host-03',
      MOLDCTL_ROLL_RUN: 'r1',
    })
  })

  it('orders by name (naturally), by fewest VMs, or as given', () => {
    const host = (name: string, vmCount: number): RollCandidate => ({...facts, id: name, name, vmCount})
    const hosts = [host('h-10', 1), host('h-2', 5), host('h-1', 5)]
    assert.deepEqual(
      orderHosts(hosts, 'name').map((h) => h.name),
      ['h-1', 'h-2', 'h-10'],
    )
    assert.deepEqual(
      orderHosts(hosts, 'least-vms').map((h) => h.name),
      ['h-10', 'h-1', 'h-2'],
    )
    assert.deepEqual(
      orderHosts(hosts, 'given').map((h) => h.name),
      ['h-10', 'h-2', 'h-1'],
    )
  })

  it('reads durations', () => {
    assert.equal(parseDuration('60s'), 60_000)
    assert.equal(parseDuration('1h30m'), 5_400_000)
    assert.equal(parseDuration('500ms'), 500)
    assert.equal(parseDuration('90'), 90_000)
    assert.equal(parseDuration('soon'), undefined)
    assert.equal(parseDuration(''), undefined)
  })
})
