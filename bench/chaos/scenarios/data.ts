import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {createCipher} from '../../../src/lib/crypto/encryptor.js'
/**
 * What must not be lost: VLAN ranges when two operators change them at once, and host_details
 * rows when a database rotation stops before its commit.
 */
import {connectCloudDb, parseDbUrl} from '../../../src/lib/db/connection.js'
import {findCluster, findClusterHosts} from '../../../src/lib/db/hosts.js'
import {readBackupFile} from '../../../src/lib/host-password/backup.js'
import {restoreHostPasswords, rotateHostPasswords} from '../../../src/lib/host-password/db-apply.js'
import {
  createScratchCloudDb,
  dbSkipReason,
  seedCluster,
  snapshotHostDetails,
} from '../../../test/helpers/cloud-db.js'
import {register} from '../registry.js'

/** "500-1000,1100-1110" → every VLAN in it. */
function vlans(text: string): Set<number> {
  const out = new Set<number>()
  for (const part of text.split(',').filter(Boolean)) {
    const [start, end = start] = part.split('-').map(Number)
    for (let v = start; v <= end; v++) out.add(v)
  }

  return out
}

register(
  {
    family: 'data',
    // updatePhysicalNetwork replaces the whole set: a read-merge-write can race. This counts what
    // a concurrent change loses; the work that repairs it is its own change (pending jobs,
    // re-read and re-merge, see the README), and without it this scenario reports the loss.
    name: 'data: two concurrent vlan range add runs (400 ms latency) keep both ranges',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const read = async () => {
        const answer = await sim.call('listPhysicalNetworks', {name: 'physnet-guest'})
        const body = answer.body as {listphysicalnetworksresponse: {physicalnetwork: Array<{vlan?: string}>}}
        return body.listphysicalnetworksresponse.physicalnetwork[0].vlan ?? ''
      }

      const before = vlans(await read())
      await sim.setFaults({latencyMs: 400})
      const [a, b] = await Promise.all([
        ctx.moldctl(sim, ['vlan', 'range', 'add', '1100-1109', '--zone', 'zone-1', '--yes']),
        ctx.moldctl(sim, ['vlan', 'range', 'add', '1200-1209', '--zone', 'zone-1', '--yes']),
      ])
      await sim.clearFaults()
      const after = vlans(await read())
      const expected = new Set([...before, ...vlans('1100-1109'), ...vlans('1200-1209')])
      const missing = [...expected].filter((v) => !after.has(v))
      // Ranges a run added and said so (exit 0) but the server no longer has.
      const lostUpdates = [
        a.code === 0 && ![...vlans('1100-1109')].every((v) => after.has(v)),
        b.code === 0 && ![...vlans('1200-1209')].every((v) => after.has(v)),
      ].filter(Boolean).length
      // Put the network back for the scenarios after this one.
      await ctx.moldctl(sim, ['vlan', 'range', 'remove', '1100-1109', '--zone', 'zone-1', '--yes'])
      await ctx.moldctl(sim, ['vlan', 'range', 'remove', '1200-1209', '--zone', 'zone-1', '--yes'])
      return {
        problem:
          missing.length > 0
            ? `${missing.length} VLAN(s) missing after both runs (exits ${a.code}, ${b.code})`
            : undefined,
        updatesLost: lostUpdates,
      }
    },
    serial: true,
  },
  {
    family: 'data',
    name: 'data: a database rotation stopped before its commit loses no row, and restore of a committed one is exact',
    async run() {
      const skip = await dbSkipReason()
      if (skip) return {skipped: skip}
      const scratch = await createScratchCloudDb()
      const dir = await mkdtemp(path.join(tmpdir(), 'moldctl-chaos-'))
      const db = await connectCloudDb(parseDbUrl(scratch.url, scratch.password))
      try {
        const cipher = await createCipher('V2', 'chaos-key')
        await seedCluster(scratch.conn, {
          clusterName: 'kvm',
          passwordValue: (i) => cipher.encrypt(`old-${i}`),
          size: 50,
        })
        const before = await snapshotHostDetails(scratch.conn)
        const request = {
          byCluster: true,
          database: 'chaos',
          databaseKey: 'chaos-key',
          hosts: await findClusterHosts(db, await findCluster(db, 'kvm')),
          password: 'Chaos-New-Pw',
          username: 'root',
        }
        const stopped = rotateHostPasswords(db, {
          ...request,
          backupFile: path.join(dir, 'stopped.json'),
          async beforeCommit() {
            throw new Error('stopped before the commit')
          },
        })
        await stopped.catch(() => {})
        const afterStop = await snapshotHostDetails(scratch.conn)
        const committed = path.join(dir, 'committed.json')
        await rotateHostPasswords(db, {...request, backupFile: committed})
        await restoreHostPasswords(db, {backup: await readBackupFile(committed), databaseKey: 'chaos-key'})
        const afterRestore = await snapshotHostDetails(scratch.conn)
        const differing = (rows: typeof before) =>
          before.filter((row, i) => JSON.stringify(row) !== JSON.stringify(rows[i])).length +
          Math.abs(before.length - rows.length)
        const rowsLost = differing(afterStop) + differing(afterRestore)
        return {problem: rowsLost > 0 ? `${rowsLost} row(s) differ from before` : undefined, rowsLost}
      } finally {
        await db.end()
        await scratch.drop()
        await rm(dir, {force: true, recursive: true})
      }
    },
  },
)
