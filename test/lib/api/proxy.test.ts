/* eslint-disable camelcase -- the proxy variables are spelled so (http_proxy, no_proxy) */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  describeProxy,
  matchesNoProxy,
  parseProxyUrl,
  proxyFor,
  resolveProxySettings,
  showProxyUrl,
} from '../../../src/lib/api/proxy.js'

const HTTPS = 'https://mgmt.cloud.example.com:8443/client/api'
const HTTP = 'http://10.0.0.5:8080/client/api'
const via = (target: string, env: NodeJS.ProcessEnv, flag?: string, profile?: string) =>
  proxyFor(target, resolveProxySettings(flag, profile, env))?.url.href

describe('which proxy a request goes through (curl rules)', () => {
  it('takes https_proxy for https:// and http_proxy for http:// endpoints', () => {
    const env = {HTTP_PROXY: 'http://plain:3128', HTTPS_PROXY: 'http://tls:3128'}
    assert.equal(via(HTTPS, env), 'http://tls:3128/')
    assert.equal(via(HTTP, env), 'http://plain:3128/')
    assert.equal(via(HTTPS, {HTTP_PROXY: 'http://plain:3128'}), undefined)
  })

  it('prefers the lower-case variable when both are set, as curl does', () => {
    assert.equal(
      via(HTTPS, {HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2'}),
      'http://lower:2/',
    )
    assert.equal(via(HTTP, {HTTP_PROXY: 'http://upper:1', http_proxy: 'http://lower:2'}), 'http://lower:2/')
    assert.equal(via(HTTPS, {no_proxy: '', NO_PROXY: '*', https_proxy: 'http://p:1'}), undefined)
    assert.equal(
      via(HTTPS, {no_proxy: 'other.example', NO_PROXY: '*', https_proxy: 'http://p:1'}),
      'http://p:1/',
    )
  })

  it('ignores HTTP_PROXY under CGI (REQUEST_METHOD set), where it is a request header', () => {
    assert.equal(via(HTTP, {HTTP_PROXY: 'http://evil:1', REQUEST_METHOD: 'GET'}), undefined)
    assert.equal(via(HTTP, {REQUEST_METHOD: 'GET', http_proxy: 'http://ok:1'}), 'http://ok:1/')
  })

  it('falls back to ALL_PROXY', () => {
    assert.equal(via(HTTPS, {ALL_PROXY: 'http://all:8080'}), 'http://all:8080/')
    assert.equal(via(HTTPS, {ALL_PROXY: 'http://all:8080', HTTPS_PROXY: 'http://tls:1'}), 'http://tls:1/')
  })

  it('reads a proxy without scheme as http:// and without port as curl does (1080)', () => {
    assert.equal(parseProxyUrl('proxy.corp', 'x').href, 'http://proxy.corp:1080/')
    assert.equal(parseProxyUrl('http://proxy.corp:80', 'x').href, 'http://proxy.corp/')
    assert.equal(parseProxyUrl('https://proxy.corp', 'x').href, 'https://proxy.corp/')
    assert.throws(
      () => parseProxyUrl('socks5://p:1080', 'HTTPS_PROXY'),
      /HTTPS_PROXY: socks5:\/\/ proxies are not supported/,
    )
    assert.throws(() => parseProxyUrl('http://', '--proxy'), /--proxy:/)
  })

  it('lets --proxy beat the profile, and the profile beat the environment', () => {
    const env = {HTTPS_PROXY: 'http://env:1'}
    assert.equal(via(HTTPS, env, undefined, 'http://profile:2'), 'http://profile:2/')
    assert.equal(via(HTTPS, env, 'http://flag:3', 'http://profile:2'), 'http://flag:3/')
    assert.equal(via(HTTP, env, 'http://flag:3'), 'http://flag:3/', 'one proxy for both schemes')
  })

  it("turns the proxy off with --proxy '' and proxy: none", () => {
    const env = {HTTPS_PROXY: 'http://env:1'}
    assert.equal(via(HTTPS, env, ''), undefined)
    assert.equal(via(HTTPS, env, undefined, 'none'), undefined)
    assert.equal(via(HTTPS, env, 'http://flag:3', 'none'), 'http://flag:3/')
  })
})

describe('NO_PROXY', () => {
  const url = (text: string) => new URL(text)

  it('matches a host name and every name under it, with or without a leading dot', () => {
    for (const list of ['cloud.example.com', '.cloud.example.com', 'other.org, cloud.example.com']) {
      assert.ok(matchesNoProxy(url(HTTPS), list), list)
      assert.ok(matchesNoProxy(url('https://cloud.example.com/'), list), `${list} itself`)
    }

    assert.ok(matchesNoProxy(url(HTTPS), 'example.com'))
    assert.ok(!matchesNoProxy(url('https://notexample.com/'), 'example.com'))
    assert.ok(!matchesNoProxy(url('https://notexample.com/'), '.example.com'))
    assert.ok(matchesNoProxy(url('https://MGMT.Example.COM./'), 'example.com'), 'case and trailing dot')
  })

  it('matches everything with *', () => {
    assert.ok(matchesNoProxy(url(HTTPS), '*'))
    assert.ok(matchesNoProxy(url(HTTP), ' * '))
  })

  it('with host:port, matches that port only', () => {
    assert.ok(matchesNoProxy(url(HTTPS), 'mgmt.cloud.example.com:8443'))
    assert.ok(!matchesNoProxy(url(HTTPS), 'mgmt.cloud.example.com:443'))
    assert.ok(matchesNoProxy(url('https://cloud.example.com/'), 'example.com:443'), 'the default port')
    assert.ok(matchesNoProxy(url(HTTP), '10.0.0.5:8080'))
    assert.ok(!matchesNoProxy(url(HTTP), '10.0.0.5:80'))
  })

  it('matches IP addresses exactly or by CIDR block, v4 and v6', () => {
    assert.ok(matchesNoProxy(url(HTTP), '10.0.0.5'))
    assert.ok(!matchesNoProxy(url(HTTP), '10.0.0.50'))
    assert.ok(matchesNoProxy(url(HTTP), '10.0.0.0/8'))
    assert.ok(!matchesNoProxy(url(HTTP), '192.168.0.0/16'))
    assert.ok(!matchesNoProxy(url(HTTP), '10.0.0'), 'not a suffix match for addresses')
    assert.ok(matchesNoProxy(url('http://[fd00::5]:8080/'), 'fd00::/8'))
    assert.ok(matchesNoProxy(url('http://[::1]:8080/'), '::1'))
    assert.ok(matchesNoProxy(url('http://[::1]:8080/'), '[::1]:8080'))
    assert.ok(!matchesNoProxy(url('http://[::1]:8080/'), '127.0.0.1'))
  })

  it('applies to a proxy given with --proxy or in the profile too (as in curl)', () => {
    assert.equal(via(HTTP, {NO_PROXY: '10.0.0.0/8'}, 'http://flag:3'), undefined)
    assert.equal(via(HTTP, {NO_PROXY: '10.0.0.0/8'}, undefined, 'http://profile:3'), undefined)
  })
})

describe('what profile show and doctor say', () => {
  it('names the proxy (password hidden) and why', () => {
    const env = {HTTPS_PROXY: 'http://ops:s3cret@proxy:3128'}
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings(undefined, undefined, env)),
      'http://ops:****@proxy:3128 (from HTTPS_PROXY)',
    )
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings(undefined, 'http://p:1', env)),
      'http://p:1 (from the profile)',
    )
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings('http://f:1', undefined, env)),
      'http://f:1 (from --proxy)',
    )
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings('', undefined, env)),
      "none (turned off by --proxy '')",
    )
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings(undefined, 'none', env)),
      'none (turned off by the profile: proxy: none)',
    )
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings(undefined, undefined, {})),
      'none (no proxy variable is set)',
    )
    assert.equal(
      describeProxy(HTTPS, resolveProxySettings(undefined, undefined, {...env, no_proxy: '.example.com'})),
      'none (no_proxy matches mgmt.cloud.example.com:8443)',
    )
    assert.equal(
      describeProxy(HTTP, resolveProxySettings(undefined, undefined, env)),
      'none (no proxy variable for http:// is set)',
    )
  })

  it('never shows a proxy password', () => {
    assert.equal(showProxyUrl('http://ops:s3cret@proxy:3128'), 'http://ops:****@proxy:3128')
    assert.equal(showProxyUrl('ops:s3cret@proxy:3128'), 'http://ops:****@proxy:3128')
    assert.equal(showProxyUrl('none'), 'none')
    assert.doesNotMatch(showProxyUrl('http://ops:s3%40cret@[bad'), /s3/)
  })
})
