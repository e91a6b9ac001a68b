import assert from 'node:assert/strict'
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli} from '../../helpers/cli.js'
import {assertNoSecrets, readProfiles, SECRETS, writeProfiles} from '../../helpers/profiles.js'

// As CloudMonkey 6 writes ~/.cmk/config: core keys first, then one section per profile.
const CMK_CONFIG = `prompt       = 🐱
asyncblock   = true
timeout      = 1800
output       = json
verifycert   = true
profile      = prod
autocomplete = true

[localcloud]
url       = http://localhost:8080/client/api
username  = admin
password  = password
domain    = /
apikey    =
secretkey =

[prod]
url       = https://mold.example.com/client/api
username  = admin
password  = password
domain    = /
apikey    = ${SECRETS.apiKey}
secretkey = ${SECRETS.secretKey}

[lab]
url       = http://10.0.0.10:8080/client/api
username  = ops
password  = ${SECRETS.password}
domain    = /ROOT/ops
apikey    =
secretkey =
`

async function homeWithCmk(homes: CliHome[]): Promise<CliHome> {
  const home = makeHome()
  homes.push(home)
  await mkdir(path.join(home.root, '.cmk'), {recursive: true})
  await writeFile(path.join(home.root, '.cmk', 'config'), CMK_CONFIG)
  return home
}

describe('profile import-cmk', () => {
  const homes: CliHome[] = []

  after(() => {
    for (const home of homes) home.remove()
  })

  it('imports CloudMonkey’s current profile from ~/.cmk/config by default, keys only', async () => {
    const home = await homeWithCmk(homes)
    const result = await runCli(['profile', 'import-cmk'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.match(result.stderr, /Imported prod \(current\)/)
    const config = await readProfiles(home)
    assert.equal(config.current, 'prod')
    assert.deepEqual(config.profiles, {
      prod: {
        apikey: SECRETS.apiKey,
        flavor: 'auto',
        secretkey: SECRETS.secretKey,
        url: 'https://mold.example.com/client/api',
        verifytls: true,
      },
    })
    assert.equal((await stat(path.join(home.configDir, 'config.yaml'))).mode & 0o777, 0o600)
  })

  it('--all imports every profile and reports each name', async () => {
    const home = await homeWithCmk(homes)
    const result = await runCli(['profile', 'import-cmk', '--all', '--json'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.deepEqual(json(result), {
      current: 'prod',
      imported: ['localcloud', 'prod', 'lab'],
      replaced: [],
      skipped: [],
    })
    const config = await readProfiles(home)
    assert.equal(config.profiles.lab.password, SECRETS.password)
    assert.equal(config.profiles.lab.domain, '/ROOT/ops')
  })

  it('keeps existing moldctl profiles unless --force', async () => {
    const home = await homeWithCmk(homes)
    const mine = {apikey: 'MINE', secretkey: 'MINE-SECRET', url: 'https://mine.example/client/api'}
    await writeProfiles(home, {current: 'prod', profiles: {prod: mine}})
    const kept = await runCli(['profile', 'import-cmk', 'prod', 'lab'], {home})
    assert.equal(kept.code, 0, kept.stderr)
    assert.match(kept.stderr, /Imported lab/)
    assert.match(kept.stderr, /Skipped prod: a moldctl profile with this name exists \(--force replaces it\)/)
    assert.equal((await readProfiles(home)).profiles.prod.apikey, 'MINE')

    const forced = await runCli(['profile', 'import-cmk', 'prod', '--force'], {home})
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stderr, /Imported prod \(replaced\)/)
    assert.equal((await readProfiles(home)).profiles.prod.apikey, SECRETS.apiKey)
    assertNoSecrets(forced)
  })

  it('reads another file with --file', async () => {
    const home = makeHome()
    homes.push(home)
    const file = path.join(home.root, 'old-cloudmonkey.cfg')
    await writeFile(
      file,
      '[core]\nprofile = legacy\n[legacy]\nurl = https://old.example/client/api\napikey = K\nsecretkey = S\nverifysslcert = false\n',
    )
    const result = await runCli(['profile', 'import-cmk', '--file', file], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual((await readProfiles(home)).profiles.legacy, {
      apikey: 'K',
      flavor: 'auto',
      secretkey: 'S',
      url: 'https://old.example/client/api',
      verifytls: false,
    })
  })

  it('a missing file is exit 2 and writes nothing', async () => {
    const home = makeHome()
    homes.push(home)
    const result = await runCli(['profile', 'import-cmk', '--all'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /cannot read the CloudMonkey config .*\.cmk\/config: no such file/)
    await assert.rejects(readFile(path.join(home.configDir, 'config.yaml')))
  })

  it('unknown names are exit 2, listing the file’s profiles, and import nothing', async () => {
    const home = await homeWithCmk(homes)
    const result = await runCli(['profile', 'import-cmk', 'prod', 'staging'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /not in the CloudMonkey config: staging; its profiles: localcloud, prod, lab/)
    assert.deepEqual((await readProfiles(home)).profiles, {})
  })

  it('names together with --all are exit 2', async () => {
    const home = await homeWithCmk(homes)
    const result = await runCli(['profile', 'import-cmk', 'prod', '--all'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /not both/)
  })

  it('has examples in --help', async () => {
    const result = await runCli(['profile', 'import-cmk', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /EXAMPLES[\s\S]*profile import-cmk --all/)
  })
})
