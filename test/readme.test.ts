/**
 * Follows the README as written: every `moldctl ...` command of its shell blocks runs, through
 * a real shell (pipes, stdin and variables as printed), against simulators started here, in a
 * throw-away HOME. Each command must exit 0, or the code its trailing comment names
 * (`# ... exit 2`).
 *
 * A block is steered by HTML comments (invisible on the rendered page) right before it:
 *   <!-- readme-test: skip: REASON -->             the whole block, e.g. it needs a KVM host
 *   <!-- readme-test: skip-line "TEXT": REASON --> the commands containing TEXT
 *   <!-- readme-test: topology FILE profile NAME --> a simulator built from FILE, reached
 *                                                    through profile NAME (as `sim serve
 *                                                    --topology FILE --write-profile NAME`)
 * Every block gets fresh simulators and a fresh HOME in which profile "sim" (the default
 * topology) is the current one, as after the Quick start.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {after, describe, it} from 'node:test'

import {BIN, type CliHome, makeHome, ROOT} from './helpers/cli.js'
import {writeProfiles} from './helpers/profiles.js'
import {startTestSim, type TestSim} from './helpers/sim.js'

interface Command {
  expectedExit: number
  line: number
  skip?: string
  text: string
}

interface Block {
  commands: Command[]
  line: number
  profile?: string
  skip?: string
  topology?: string
}

const DIRECTIVE = /^<!-- readme-test: (.*) -->$/

/** Applies the directives right above the fence at `fence` to `block`; returns its skip-lines. */
function readDirectives(lines: string[], fence: number, block: Block): Array<{reason: string; text: string}> {
  const skipLines: Array<{reason: string; text: string}> = []
  for (let j = fence - 1; j >= 0 && DIRECTIVE.test(lines[j].trim()); j--) {
    const directive = DIRECTIVE.exec(lines[j].trim())![1]
    const skipLine = /^skip-line "([^"]+)": (.+)$/.exec(directive)
    const skip = /^skip: (.+)$/.exec(directive)
    const sim = /^topology (\S+) profile (\S+)$/.exec(directive)
    if (skipLine) skipLines.push({reason: skipLine[2], text: skipLine[1]})
    else if (skip) block.skip = skip[1]
    else if (sim) [block.topology, block.profile] = [sim[1], sim[2]]
    else throw new Error(`README.md:${j + 1}: unknown readme-test directive "${directive}"`)
  }

  return skipLines
}

/** The shell blocks of a Markdown text, with their directives and commands. */
export function readmeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(sh|console|bash)\s*$/.exec(lines[i])
    if (!fence) continue
    const block: Block = {commands: [], line: i + 1}
    const skipLines = readDirectives(lines, i, block)
    const consoleBlock = fence[1] === 'console'
    let j = i + 1
    for (; j < lines.length && !lines[j].startsWith('```'); j++) {
      let text = lines[j]
      if (consoleBlock) {
        // `$ ` is the prompt of a user, `# ` the prompt of root (on a KVM host); the rest is output.
        if (!/^[$#] /.test(text)) continue
        text = text.slice(2)
      }

      const start = j + 1
      while (text.endsWith('\\') && j + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++j].trim()}`
      if (!/(^|\|\s*)moldctl\s/.test(text.trim())) continue
      const comment = /\s#\s(.*)$/.exec(text)?.[1] ?? ''
      const exit = /\bexits? (\d+)\b/.exec(comment)
      const skip = skipLines.find((s) => text.includes(s.text))
      block.commands.push({expectedExit: exit ? Number(exit[1]) : 0, line: start, skip: skip?.reason, text})
    }

    i = j
    if (block.commands.length > 0 || block.skip) blocks.push(block)
  }

  return blocks
}

function runShell(
  command: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{code: number; output: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString()
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({code: code ?? (signal ? 128 : 1), output}))
  })
}

/** The environment of the README's commands: `moldctl` on PATH, the variables it uses, nothing of the caller's. */
function shellEnv(home: CliHome, binDir: string, sim: TestSim): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(MOLDCTL_|CLOUDSTACK_|CLOUD_SECRET_KEY|XDG_|FORCE_COLOR)/.test(k)) env[k] = v
  }

  return {
    ...env,
    ...home.env,
    APIKEY: sim.apiKey,
    DBKEY: 'databasekey',
    IPMI_PASSWORD: 'ipmi-secret',
    KEY: sim.apiKey,
    MOLDCTL_POLL_MAX_MS: '200',
    MOLDCTL_POLL_MIN_MS: '20',
    NEW_IPMI_PASSWORD: 'new-ipmi-secret',
    NEW_PASSWORD: 'N3w-host-pass',
    NO_COLOR: '1',
    PASSWORD: 'lab-password',
    PATH: `${binDir}${path.delimiter}${env.PATH ?? ''}`,
    ROOT_PASSWORD: 'root-password',
    SECRET: sim.secretKey,
  }
}

const blocks = readmeBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))

describe('README examples, as written', () => {
  const homes: CliHome[] = []

  after(() => {
    for (const home of homes) home.remove()
  })

  it('has shell blocks with moldctl commands to run', () => {
    const commands = blocks.flatMap((b) => (b.skip ? [] : b.commands.filter((c) => !c.skip)))
    assert.ok(commands.length >= 40, `only ${commands.length} README commands are run`)
  })

  for (const block of blocks) {
    const title = `README.md:${block.line}: ${block.commands.map((c) => c.text.split(/\s+#/)[0]).join(' ; ')}`
    for (const command of block.skip ? [] : block.commands.filter((c) => c.skip)) {
      it(`README.md:${command.line}: ${command.text}`, {skip: command.skip}, () => {})
    }

    it(title.length > 160 ? `${title.slice(0, 157)}...` : title, {skip: block.skip}, async () => {
      const home = makeHome()
      homes.push(home)
      const binDir = path.join(home.root, 'bin')
      mkdirSync(binDir)
      writeFileSync(path.join(binDir, 'moldctl'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
      chmodSync(path.join(binDir, 'moldctl'), 0o755)
      const work = path.join(home.root, 'work')
      mkdirSync(work)
      const sims: TestSim[] = [await startTestSim()]
      try {
        const profiles: Record<string, {apikey: string; secretkey: string; url: string}> = {
          sim: {apikey: sims[0].apiKey, secretkey: sims[0].secretKey, url: sims[0].url},
        }
        if (block.topology) {
          const named = await startTestSim({topology: path.join(ROOT, block.topology)})
          sims.push(named)
          profiles[block.profile!] = {apikey: named.apiKey, secretkey: named.secretKey, url: named.url}
        }

        await writeProfiles(home, {
          current: 'sim',
          profiles: Object.fromEntries(
            Object.entries(profiles).map(([name, p]) => [
              name,
              {...p, flavor: sims[0].flavor, verifytls: true},
            ]),
          ),
        })
        const env = shellEnv(home, binDir, sims[0])
        for (const command of block.commands) {
          if (command.skip) continue
          const result = await runShell(command.text, env, work)
          assert.equal(
            result.code,
            command.expectedExit,
            `README.md:${command.line}: \`${command.text}\` exited ${result.code}, expected ${command.expectedExit}:\n${result.output}`,
          )
        }
      } finally {
        await Promise.all(sims.map((s) => s.close()))
      }
    })
  }
})
