import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

/**
 * Benchmark: `moldctl host password rotate --via db` over a cluster of 5,000 hosts in MariaDB.
 * Target (QUALITY.md): 5 s or less. Seeds a scratch copy of the schema subset, writes a
 * db.properties and management key file the way cloudstack-setup-databases does, then times the
 * real CLI end to end (process start, db.properties, key check on 5,000 stored values, 5,000
 * fresh encryptions, batched writes, read-back check, backup, commit), for V2 and for V1.
 *
 * The timed runs print the result with --json (what a script rotating 5,000 hosts uses). One
 * extra run per encryptor prints the default table, reported separately: rendering a
 * 5,000-row table is the table renderer's cost, not the rotation's.
 *
 * The database: MOLDCTL_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306); without one the
 * benchmark reports itself as not available.
 *
 * Run alone: npm run build && node --import tsx bench/password-rotate.ts [--hosts N] [--runs N]
 * (the same as `npm run bench -- password-rotate`; the result goes into bench/results.json).
 */
import type {BenchOptions, BenchResult, Measure} from './lib/types.js'

import {createCipher, type EncryptorVersion} from '../src/lib/crypto/encryptor.js'
import {V2Cipher} from '../src/lib/crypto/v2-aes-gcm.js'
import {createScratchCloudDb, type ScratchDb, seedCluster, TEST_MYSQL_URL} from '../test/helpers/cloud-db.js'
import {cliEnv, measureCli, scratchDir} from './lib/process.js'
import {main} from './lib/runner.js'
import {measure, skipped, verdict} from './lib/stats.js'

const HOSTS = 5000
const TARGET_MS = 5000
const MANAGEMENT_KEY = 'bench-management-key'
const DATABASE_KEY = 'bench-database-key'
const TITLE = 'host password rotate --via db'

interface VersionResult {
  jsonMs: number[]
  tableMs: number
  version: EncryptorVersion
}

async function benchVersion(
  version: EncryptorVersion,
  scratch: ScratchDb,
  {hosts, runs, workDir}: {hosts: number; runs: number; workDir: string},
): Promise<VersionResult> {
  const cipher = await createCipher(version, DATABASE_KEY)
  const clusterName = 'bench'
  await seedCluster(scratch.conn, {
    clusterName,
    passwordValue: (i) => cipher.encrypt(`old-${i}`),
    size: hosts,
  })
  const management = new V2Cipher(MANAGEMENT_KEY)
  const propsFile = path.join(workDir, `db-${version}.properties`)
  const keyFile = path.join(workDir, 'key')
  await writeFile(keyFile, MANAGEMENT_KEY, {mode: 0o600})
  await writeFile(
    propsFile,
    [
      `db.cloud.username=${scratch.user}`,
      `db.cloud.password=ENC(${management.encrypt(scratch.password)})`,
      `db.cloud.host=${scratch.host}`,
      `db.cloud.port=${scratch.port}`,
      `db.cloud.name=${scratch.name}`,
      'db.cloud.encryption.type=file',
      `db.cloud.encrypt.secret=ENC(${management.encrypt(DATABASE_KEY)})`,
      `db.cloud.encryptor.version=${version}`,
      '',
    ].join('\n'),
    {mode: 0o600},
  )
  const env = cliEnv(workDir)
  const rotate = async (run: number, output: string[]) => {
    const args = [
      'host',
      'password',
      'rotate',
      '--cluster',
      clusterName,
      '--username',
      'root',
      '--password-stdin',
    ]
    const dbArgs = ['--via', 'db', '--db-properties', propsFile, '--key-file', keyFile, '--yes']
    const backup = ['--backup', path.join(workDir, `backup-${version}-${run}.json`)]
    const result = await measureCli([...args, ...dbArgs, ...backup, ...output], {
      env,
      stdin: `Rotated-${run}!\n`,
    })
    if (result.code !== 0)
      throw new Error(`run ${run} (${version}) failed (exit ${result.code}): ${result.stderr}`)
    return result.wallMs
  }

  const jsonMs: number[] = []
  for (let run = 0; run < runs; run++) jsonMs.push(await rotate(run, ['--json']))
  const tableMs = await rotate(runs, [])
  return {jsonMs, tableMs, version}
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const hosts = opts.hosts ?? (opts.smoke ? 50 : HOSTS)
  const runs = opts.smoke ? 1 : (opts.runs ?? 5)
  const work = scratchDir('rotate')
  const results: VersionResult[] = []
  try {
    // A scratch database per encryptor, each seeded with values that encryptor made.
    for (const version of ['V2', 'V1'] as const) {
      let scratch: ScratchDb
      try {
        scratch = await createScratchCloudDb()
      } catch (error) {
        const reason = `no MariaDB/MySQL at ${TEST_MYSQL_URL}: ${(error as Error).message}`
        return skipped('password-rotate', TITLE, reason)
      }

      try {
        opts.log(`password-rotate: ${version}, ${hosts} hosts, ${runs} runs`)
        results.push(await benchVersion(version, scratch, {hosts, runs, workDir: work.path}))
      } finally {
        await scratch.drop()
      }
    }
  } finally {
    work.remove()
  }

  const judge = !opts.smoke
  const count = hosts.toLocaleString('en')
  const measures: Measure[] = results.flatMap((r) => [
    measure(
      {
        judge,
        key: `${r.version.toLowerCase()}-json`,
        name: `rotate ${count} hosts (${r.version}), --json, wall`,
        target: {max: TARGET_MS, text: '≤ 5 s'},
        unit: 'ms',
      },
      r.jsonMs,
    ),
    measure(
      {
        key: `${r.version.toLowerCase()}-table`,
        name: `rotate ${count} hosts (${r.version}), table output, wall`,
        unit: 'ms',
      },
      [r.tableMs],
    ),
  ])
  return {
    details: {hosts, runs},
    id: 'password-rotate',
    measures,
    notes: [
      'judged with --json; one run per encryptor prints the default table (its rendering is reported apart)',
    ],
    pass: judge ? verdict(measures) : undefined,
    title: TITLE,
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(['password-rotate', ...process.argv.slice(2)])
}
