import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'

import {FLAVOR_ALGORITHM, formatExpires, signParams} from '../../../src/lib/api/sign.js'
import {defineApi} from '../../../src/sim/catalog/registry.js'
import {parseExpires} from '../../../src/sim/http/auth.js'
import {readFixture} from '../../helpers/fixtures.js'
import {readResponse, type TestSim, useSim} from '../../helpers/sim.js'

const AUTH_TEXT = 'unable to verify user credentials and/or request signature'

async function login(sim: TestSim, form: Record<string, string>, method = 'POST') {
  const body = new URLSearchParams({command: 'login', response: 'json', ...form}).toString()
  const response =
    method === 'POST'
      ? await fetch(sim.url, {body, headers: {'Content-Type': 'application/x-www-form-urlencoded'}, method})
      : await fetch(`${sim.url}?${body}`)
  return readResponse(response)
}

function cookiesOf(headers: Headers): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';')
    const eq = pair.indexOf('=')
    cookies[pair.slice(0, eq)] = pair.slice(eq + 1)
  }

  return cookies
}

for (const flavor of ['mold', 'cloudstack'] as const) {
  describe(`signed requests (${flavor})`, () => {
    const sim = useSim({flavor})

    it('accepts a correctly signed request', async () => {
      const res = await sim.call('listZones')
      assert.equal(res.status, 200)
      assert.equal(res.body.listzonesresponse.count, 1)
    })

    it('answers 401 with the real text for a wrong signature', async () => {
      const res = await sim.call('listZones', {}, {secretKey: 'not-the-secret'})
      assert.equal(res.status, 401)
      assert.deepEqual(res.body, {listzonesresponse: {errorcode: 401, errortext: AUTH_TEXT, uuidList: []}})
    })

    it('refuses the other flavor’s MAC', async () => {
      const params: Record<string, string> = {apiKey: sim.apiKey, command: 'listZones', response: 'json'}
      const other = flavor === 'mold' ? FLAVOR_ALGORITHM.cloudstack : FLAVOR_ALGORITHM.mold
      params.signature = signParams(params, sim.secretKey, other)
      const res = await readResponse(await fetch(`${sim.url}?${new URLSearchParams(params)}`))
      assert.equal(res.status, 401)
    })

    it('treats an unknown command with an API key as 401 under errorresponse', async () => {
      const res = await sim.call('listUnicorns')
      assert.equal(res.status, 401)
      assert.equal(res.body.errorresponse.errortext, AUTH_TEXT)
    })

    it('refuses a request without apikey or signature', async () => {
      const res = await readResponse(await fetch(`${sim.url}?command=listZones&response=json`))
      assert.equal(res.status, 401)
      assert.equal(res.body.listzonesresponse.errortext, AUTH_TEXT)
    })

    it('accepts signed POST form bodies', async () => {
      const res = await sim.call('listZones', {}, {method: 'POST'})
      assert.equal(res.status, 200)
    })
  })
}

describe('signatureversion 3 expiry', () => {
  const sim = useSim()

  it('refuses an expires in the past', async () => {
    const past = formatExpires(new Date(Date.now() - 60_000))
    const res = await sim.call('listZones', {expires: past, signatureversion: '3'})
    assert.equal(res.status, 401)
    assert.equal(res.body.listzonesresponse.errortext, AUTH_TEXT)
  })

  it('refuses signatureversion 3 without expires', async () => {
    const res = await sim.call('listZones', {signatureversion: '3'})
    assert.equal(res.status, 401)
  })

  it('accepts future expires in +0000, Z and +01:00 forms', async () => {
    const future = new Date(Date.now() + 600_000)
    const iso = future.toISOString().replace(/\.\d{3}Z$/, '')
    const local = new Date(future.getTime() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+01:00')
    for (const expires of [formatExpires(future), `${iso}Z`, local]) {
      const res = await sim.call('listZones', {expires, signatureversion: '3'})
      assert.equal(res.status, 200, expires)
    }
  })

  it('ignores expires without signatureversion 3', async () => {
    const res = await sim.call('listZones', {expires: '2001-01-01T00:00:00+0000'})
    assert.equal(res.status, 200)
  })

  it('parses the date forms to the same instant', () => {
    const expected = Date.UTC(2030, 0, 1, 0, 0, 0)
    assert.equal(parseExpires('2030-01-01T00:00:00+0000')?.getTime(), expected)
    assert.equal(parseExpires('2030-01-01T00:00:00Z')?.getTime(), expected)
    assert.equal(parseExpires('2030-01-01T01:00:00+01:00')?.getTime(), expected)
    assert.equal(parseExpires('2030-01-01T00:00:00.000Z')?.getTime(), expected)
    assert.equal(parseExpires('next tuesday'), undefined)
  })
})

describe('login sessions', () => {
  const sim = useSim({adminPassword: 's3cret-pw'})

  it('logs in by POST with cookies and the recorded body shape', async () => {
    const res = await login(sim, {domain: '/', password: 's3cret-pw', username: 'admin'})
    assert.equal(res.status, 200)
    const cookies = cookiesOf(res.headers)
    assert.match(cookies.JSESSIONID, /^[\da-z]+\.node0$/)
    assert.equal(cookies.sessionkey, res.body.loginresponse.sessionkey)
    assert.ok(res.headers.getSetCookie().some((c) => /^sessionkey=[^;]+;HttpOnly;SameSite=Lax$/.test(c)))
    const recorded = readFixture<{login: {loginresponse: Record<string, unknown>}}>(
      'recorded/AuthenticationService.json',
    ).login.loginresponse
    for (const [field, value] of Object.entries(recorded)) {
      if (field === 'timezone' || field === 'timezoneoffset') continue // the admin has no timezone set
      assert.equal(typeof res.body.loginresponse[field], typeof value, field)
    }

    assert.equal(res.body.loginresponse.type, '1')
    assert.match(res.body.loginresponse.sessionkey, /^[\w-]{27}$/)
  })

  it('accepts session calls with the JSESSIONID cookie and sessionkey cookie + parameter', async () => {
    const res = await login(sim, {password: 's3cret-pw', username: 'admin'})
    const cookies = cookiesOf(res.headers)
    const cookie = `JSESSIONID=${cookies.JSESSIONID}; sessionkey=${cookies.sessionkey}`
    const ok = await fetch(`${sim.url}?command=listZones&response=json&sessionkey=${cookies.sessionkey}`, {
      headers: {cookie},
    })
    assert.equal(ok.status, 200)

    const noParam = await readResponse(
      await fetch(`${sim.url}?command=listZones&response=json`, {headers: {cookie}}),
    )
    assert.equal(noParam.status, 401)
    assert.equal(noParam.body.listzonesresponse.errortext, 'unable to verify user credentials')

    // The failed check invalidated the session.
    const after = await fetch(`${sim.url}?command=listZones&response=json&sessionkey=${cookies.sessionkey}`, {
      headers: {cookie},
    })
    assert.equal(after.status, 401)
  })

  it('answers unknown commands in a session with the role checker text', async () => {
    const res = await login(sim, {password: 's3cret-pw', username: 'admin'})
    const cookies = cookiesOf(res.headers)
    const unknown = await readResponse(
      await fetch(`${sim.url}?command=listUnicorns&response=json&sessionkey=${cookies.sessionkey}`, {
        headers: {cookie: `JSESSIONID=${cookies.JSESSIONID}; sessionkey=${cookies.sessionkey}`},
      }),
    )
    assert.equal(unknown.status, 401)
    assert.equal(
      unknown.body.errorresponse.errortext,
      "The given command 'listUnicorns' either does not exist, is not available for user.",
    )
  })

  it('logs out and the session stops working', async () => {
    const res = await login(sim, {password: 's3cret-pw', username: 'admin'})
    const cookies = cookiesOf(res.headers)
    const cookie = `JSESSIONID=${cookies.JSESSIONID}; sessionkey=${cookies.sessionkey}`
    const out = await readResponse(
      await fetch(`${sim.url}?command=logout&response=json`, {headers: {cookie}}),
    )
    assert.deepEqual(out.body, {logoutresponse: {description: 'success'}})
    const later = await fetch(`${sim.url}?command=listZones&response=json&sessionkey=${cookies.sessionkey}`, {
      headers: {cookie},
    })
    assert.equal(later.status, 401)
  })

  it('refuses login by GET with 405', async () => {
    const res = await login(sim, {password: 's3cret-pw', username: 'admin'}, 'GET')
    assert.equal(res.status, 405)
    assert.equal(res.body.loginresponse.errortext, 'Please use HTTP POST to authenticate using this API')
  })

  it('answers a wrong password with 531', async () => {
    const res = await login(sim, {password: 'wrong', username: 'admin'})
    assert.equal(res.status, 531)
    assert.equal(
      res.body.loginresponse.errortext,
      'Failed to authenticate user admin in domain 1; please provide valid credentials',
    )
  })

  it('answers an unknown domain path with 531', async () => {
    const res = await login(sim, {domain: 'nowhere', password: 's3cret-pw', username: 'admin'})
    assert.equal(res.status, 531)
    assert.equal(res.body.loginresponse.errortext, 'Unable to find the domain from the path /nowhere/')
  })
})

describe('enforce.post.requests.and.timestamps', () => {
  const sim = useSim({
    apis: [
      defineApi({
        description: 'Test-only mutating command',
        handler: () => ({success: true}),
        isasync: false,
        name: 'testTouch',
        params: [],
      }),
    ],
  })

  before(async () => {
    sim.model.state.settings['enforce.post.requests.and.timestamps'] = 'true'
  })

  it('requires signatureversion 3 with a near expires, and POST for changes', async () => {
    const soon = {expires: formatExpires(new Date(Date.now() + 300_000)), signatureversion: '3'}
    assert.equal((await sim.call('listZones')).status, 401)
    const late = {expires: formatExpires(new Date(Date.now() + 3_600_000)), signatureversion: '3'}
    assert.equal((await sim.call('listZones', late)).status, 401)
    assert.equal((await sim.call('listZones', soon)).status, 200)
    const byGet = await sim.call('testTouch', soon)
    assert.equal(byGet.status, 400)
    assert.equal(
      byGet.body.testtouchresponse.errortext,
      'State changing command testTouch needs to be sent using POST request',
    )
    assert.equal((await sim.call('testTouch', soon, {method: 'POST'})).status, 200)
  })
})
