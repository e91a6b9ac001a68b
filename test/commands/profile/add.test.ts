import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {readFile, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, describe, it} from 'node:test'
import {parse} from 'yaml'

import {type CliHome, json, makeHome, runCli} from '../../helpers/cli.js'
import {assertNoSecrets, SECRETS} from '../../helpers/profiles.js'

const {apiKey: APIKEY, password: PASSWORD, secretKey: SECRET} = SECRETS

const modeOf = async (file: string) => (await stat(file)).mode & 0o777
const readConfig = async (home: CliHome) =>
  parse(await readFile(path.join(home.configDir, 'config.yaml'), 'utf8'))

describe('profile add', () => {
  const homes: CliHome[] = []
  const home = () => {
    const h = makeHome()
    homes.push(h)
    return h
  }

  after(() => {
    for (const h of homes) h.remove()
  })

  it('saves an API-key profile, secret from stdin, in a 0600 file in a 0700 directory', async () => {
    const h = home()
    const result = await runCli(
      [
        'profile',
        'add',
        'prod',
        '--url',
        'https://mold.example.com:8443',
        '--api-key',
        APIKEY,
        '--secret-key-stdin',
      ],
      {home: h, stdin: `${SECRET}\n`},
    )
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.match(result.stderr, /Saved profile "prod" \(current\)/)
    assert.equal(await modeOf(h.configDir), 0o700)
    assert.equal(await modeOf(path.join(h.configDir, 'config.yaml')), 0o600)
    assert.deepEqual(await readConfig(h), {
      current: 'prod',
      profiles: {
        prod: {
          apikey: APIKEY,
          flavor: 'auto',
          secretkey: SECRET,
          url: 'https://mold.example.com:8443/client/api',
        },
      },
    })
  })

  it('saves a login profile with --password-stdin and prints only masked values with --json', async () => {
    const h = home()
    const result = await runCli(
      [
        'profile',
        'add',
        'lab',
        '--url',
        'http://10.0.0.10:8080,http://10.0.0.11:8080/client',
        '--username',
        'ops',
        '--password-stdin',
        '--domain',
        '/ROOT/ops',
        '--flavor',
        'cloudstack',
        '--insecure',
        '--timeout',
        '60',
        '--json',
      ],
      {home: h, stdin: PASSWORD},
    )
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.deepEqual(json(result), {
      current: true,
      domain: '/ROOT/ops',
      flavor: 'cloudstack',
      name: 'lab',
      password: '****',
      timeout: 60,
      url: 'http://10.0.0.10:8080/client/api,http://10.0.0.11:8080/client/api',
      username: 'ops',
      verifytls: false,
    })
    assert.equal((await readConfig(h)).profiles.lab.password, PASSWORD)
  })

  it('keeps the current profile unless --default, and refuses to replace a profile without --force', async () => {
    const h = home()
    const add = (name: string, ...extra: string[]) =>
      runCli(
        [
          'profile',
          'add',
          name,
          '--url',
          `https://${name}.example`,
          '--api-key',
          APIKEY,
          '--secret-key-stdin',
          ...extra,
        ],
        {
          home: h,
          stdin: SECRET,
        },
      )
    assert.equal((await add('one')).code, 0)
    assert.equal((await add('two')).code, 0)
    assert.equal((await readConfig(h)).current, 'one')
    assert.equal((await add('three', '--default')).code, 0)
    assert.equal((await readConfig(h)).current, 'three')

    const before = await readFile(path.join(h.configDir, 'config.yaml'), 'utf8')
    const again = await add('two')
    assert.equal(again.code, 2)
    assert.match(again.stderr, /a profile named "two" exists/)
    assert.match(again.stderr, /--force/)
    assert.equal(await readFile(path.join(h.configDir, 'config.yaml'), 'utf8'), before)

    const forced = await runCli(
      [
        'profile',
        'add',
        'two',
        '--url',
        'https://new.example',
        '--api-key',
        APIKEY,
        '--secret-key-stdin',
        '--force',
      ],
      {home: h, stdin: SECRET},
    )
    assert.equal(forced.code, 0, forced.stderr)
    assert.equal((await readConfig(h)).profiles.two.url, 'https://new.example/client/api')
  })

  it('stores the --ca-file path made absolute, and refuses one it cannot read', async () => {
    const h = home()
    const ca = path.join(h.root, 'ca.pem')
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\n')
    const ok = await runCli(
      [
        'profile',
        'add',
        'tls',
        '--url',
        'https://t',
        '--api-key',
        'K',
        '--secret-key-stdin',
        '--ca-file',
        ca,
      ],
      {home: h, stdin: SECRET},
    )
    assert.equal(ok.code, 0, ok.stderr)
    assert.equal((await readConfig(h)).profiles.tls.cafile, ca)

    const missing = await runCli(
      [
        'profile',
        'add',
        'tls2',
        '--url',
        'https://t',
        '--api-key',
        'K',
        '--secret-key-stdin',
        '--ca-file',
        '/nonexistent/ca.pem',
      ],
      {home: h, stdin: SECRET},
    )
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--ca-file: cannot read \/nonexistent\/ca.pem/)
  })

  const refused: Array<[string, string[], string | undefined, RegExp]> = [
    [
      'a URL that is not http(s)',
      ['bad', '--url', 'ftp://x', '--api-key', 'K', '--secret-key-stdin'],
      SECRET,
      /must start with http/,
    ],
    [
      'an invalid name',
      ['no/slash', '--url', 'https://x', '--api-key', 'K', '--secret-key-stdin'],
      SECRET,
      /invalid profile name/,
    ],
    [
      'a secret key without a terminal or --secret-key-stdin',
      ['p', '--url', 'https://x', '--api-key', 'K'],
      undefined,
      /no terminal/,
    ],
    [
      '--secret-key-stdin without --api-key',
      ['p', '--url', 'https://x', '--secret-key-stdin'],
      SECRET,
      /needs --api-key/,
    ],
    [
      'keys and a login together',
      ['p', '--url', 'https://x', '--api-key', 'K', '--username', 'u'],
      SECRET,
      /not both/,
    ],
    [
      'an empty secret',
      ['p', '--url', 'https://x', '--api-key', 'K', '--secret-key-stdin'],
      '\n',
      /secret read was empty/,
    ],
    ['no credentials at all', ['p', '--url', 'https://x'], undefined, /no credentials/],
    [
      'a --secret-key flag (secrets never on argv)',
      ['p', '--url', 'https://x', '--api-key', 'K', '--secret-key', 'S'],
      undefined,
      /secret-key/,
    ],
    ['a missing --url', ['p', '--api-key', 'K', '--secret-key-stdin'], SECRET, /url/],
  ]
  for (const [what, args, stdin, pattern] of refused) {
    it(`refuses ${what} with exit 2 and writes nothing`, async () => {
      const h = home()
      const result = await runCli(['profile', 'add', ...args], {home: h, stdin})
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, pattern)
      assert.equal(result.stdout, '')
      assertNoSecrets(result)
      assert.equal(existsSync(path.join(h.configDir, 'config.yaml')), false)
    })
  }

  it('has examples in --help', async () => {
    const result = await runCli(['profile', 'add', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /EXAMPLES/)
    assert.match(result.stdout, /--secret-key-stdin/)
    assert.doesNotMatch(result.stdout, /--secret-key\s/)
    assert.doesNotMatch(result.stdout, /--password\s/)
  })
})
