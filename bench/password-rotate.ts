/**
 * Benchmark: `moldctl host password rotate --via db` over a cluster of 5,000 hosts in MariaDB.
 * Target (QUALITY.md): 5 s or less. Seeds a scratch copy of the schema subset, writes a
 * db.properties and management key file the way cloudstack-setup-databases does, then times the
 * real CLI end to end (process start, db.properties, key check on 5,000 stored values, 5,000
 * fresh encryptions, batched writes, read-back check, backup, commit), for V2 and for V1.
 *
 * The timed runs print the result with --json (what a script rotating 5,000 hosts uses). One
 * extra run per encryptor prints the default table, reported separately: rendering a
 * 5,000-row table is the shared table renderer's cost, not the rotation's.
 *
 * Run: npm run build && node --import tsx bench/password-rotate.ts [--hosts N] [--runs N]
 * Writes bench/results/password-rotate.json.
 */
import {spawn} from 'node:child_process'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {cpus, loadavg, tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {createCipher, type EncryptorVersion} from '../src/lib/crypto/encryptor.js'
import {V2Cipher} from '../src/lib/crypto/v2-aes-gcm.js'
import {createScratchCloudDb, seedCluster} from '../test/helpers/cloud-db.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TARGET_MS = 5000
const MANAGEMENT_KEY = 'bench-management-key'
const DATABASE_KEY = 'bench-database-key'

const {values} = parseArgs({
  options: {hosts: {default: '5000', type: 'string'}, runs: {default: '5', type: 'string'}},
})
const hostCount = Number(values.hosts)
const runs = Number(values.runs)

function runCli(args: string[], stdin: string): Promise<{code: number; ms: number; stderr: string}> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], {
      env: {...process.env, MOLDCTL_AUDIT_LOG: 'off', NO_COLOR: '1'},
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, ms: performance.now() - started, stderr}))
    child.stdin.end(stdin)
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function benchVersion(version: EncryptorVersion, workDir: string) {
  const scratch = await createScratchCloudDb()
  try {
    const cipher = await createCipher(version, DATABASE_KEY)
    await seedCluster(scratch.conn, {
      clusterName: 'bench',
      passwordValue: (i) => cipher.encrypt(`old-${i}`),
      size: hostCount,
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
    const rotate = async (run: number, output: string[]) => {
      const args = [
        'host',
        'password',
        'rotate',
        '--cluster',
        'bench',
        '--username',
        'root',
        '--password-stdin',
      ]
      const dbArgs = ['--via', 'db', '--db-properties', propsFile, '--key-file', keyFile, '--yes']
      const backup = ['--backup', path.join(workDir, `backup-${version}-${run}.json`)]
      const result = await runCli([...args, ...dbArgs, ...backup, ...output], `Rotated-${run}!\n`)
      if (result.code !== 0) {
        throw new Error(`run ${run} (${version}) failed (exit ${result.code}): ${result.stderr}`)
      }

      return Math.round(result.ms)
    }

    const times: number[] = []
    for (let run = 0; run < runs; run++) times.push(await rotate(run, ['--json']))
    const withTableOutputMs = await rotate(runs, [])
    return {encryptor: version, medianMs: median(times), runsMs: times, withTableOutputMs}
  } finally {
    await scratch.drop()
  }
}

const workDir = await mkdtemp(path.join(tmpdir(), 'moldctl-bench-rotate-'))
try {
  const results = []
  for (const version of ['V2', 'V1'] as const) results.push(await benchVersion(version, workDir))
  console.log(
    `host password rotate --via db, ${hostCount} hosts, ${runs} runs each (target ≤ ${TARGET_MS} ms)`,
  )
  console.log('encryptor  median ms (--json)  runs (ms)                       one run, table output (ms)')
  for (const r of results) {
    const runsText = r.runsMs.join(' ').padEnd(30)
    console.log(
      `${r.encryptor.padEnd(9)}  ${String(r.medianMs).padStart(16)}  ${runsText}  ${r.withTableOutputMs}`,
    )
  }

  console.log(
    `load average during the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`,
  )
  const report = {
    benchmark: 'host password rotate --via db',
    date: new Date().toISOString(),
    hosts: hostCount,
    loadAverage: loadavg(),
    node: process.version,
    pass: results.every((r) => r.medianMs <= TARGET_MS),
    results,
    runs,
    targetMs: TARGET_MS,
  }
  await mkdir(path.join(ROOT, 'bench/results'), {recursive: true})
  await writeFile(
    path.join(ROOT, 'bench/results/password-rotate.json'),
    // number arrays on one line, as prettier formats JSON
    JSON.stringify(report, null, 2).replaceAll(
      /\[\s+([\d.,\s]+?)\s+\]/g,
      (_, list: string) => `[${list.split(/,\s*/).join(', ')}]`,
    ) + '\n',
  )
  console.log(report.pass ? 'PASS' : 'FAIL')
} finally {
  await rm(workDir, {force: true, recursive: true})
}
