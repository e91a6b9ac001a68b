import type {Agent, IncomingMessage} from 'node:http'
import type {Socket} from 'node:net'

import {isIP} from 'node:net'
import {checkServerIdentity, connect, type PeerCertificate} from 'node:tls'

import type {ChosenProxy} from '../api/proxy.js'

/*
 * Raw network probes for `moldctl doctor`, below the API client: does anything answer at the
 * endpoint (and with which Date), and what certificate chain does the TLS server present.
 * Neither sends credentials.
 */

export interface EndpointProbe {
  /** Body text (first 64 KiB). */
  body?: string
  /** Connection error code (ECONNREFUSED, ETIMEDOUT...). */
  code?: string
  contentType?: string
  /** The answer's Date header. */
  date?: string
  elapsedMs: number
  error?: string
  /** Local time (ms) halfway between sending and the answer: what the Date header is compared with. */
  localMidMs: number
  status?: number
  url: string
}

const MAX_BODY = 64 * 1024

/**
 * An unauthenticated `listCapabilities` request: a management server answers it with a 401 in
 * its own JSON envelope, which proves the URL is the API without sending any credential.
 * TLS is not verified here (that is the TLS check's job).
 */
export async function probeEndpoint(
  url: string,
  timeoutMs: number,
  proxy?: ChosenProxy,
): Promise<EndpointProbe> {
  const target = new URL(url)
  target.searchParams.set('command', 'listCapabilities')
  target.searchParams.set('response', 'json')
  const {request} = target.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const agent = proxy ? await proxyAgent(proxy, target.protocol === 'https:') : undefined
  const started = Date.now()
  return new Promise((resolve) => {
    const done = (fields: Partial<EndpointProbe>) => {
      const ended = Date.now()
      resolve({elapsedMs: ended - started, localMidMs: (started + ended) / 2, url, ...fields})
    }

    const req = request(
      target,
      {
        agent,
        headers: {Accept: 'application/json'},
        method: 'GET',
        rejectUnauthorized: false,
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk
        })
        res.on('end', () =>
          done({
            body,
            contentType: res.headers['content-type'],
            date: res.headers.date,
            status: res.statusCode,
          }),
        )
        res.on('error', (error: NodeJS.ErrnoException) => done({code: error.code, error: error.message}))
      },
    )
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), {code: 'ETIMEDOUT'})),
    )
    req.on('error', (error: NodeJS.ErrnoException) => done({code: error.code, error: error.message}))
    req.end()
  })
}

export interface ChainCertificate {
  fingerprint: string
  issuer: string
  selfSigned: boolean
  subject: string
  subjectAltName?: string
  validFrom: string
  validTo: string
}

export interface TlsInspection {
  /** OpenSSL's reason when not authorized: CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN... */
  authorizationError?: string
  /** The chain verified against the trusted CAs (the CA file, else the system's). */
  authorized: boolean
  /** The server certificate first, then its issuers as far as the server sent them. */
  chain: ChainCertificate[]
  /** Connection failure (nothing to inspect). */
  error?: string
  /** Set when the certificate does not name the host of the URL. */
  hostnameError?: string
  protocol?: string
}

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return ''
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ')
}

function chainOf(leaf: PeerCertificate & {issuerCertificate?: PeerCertificate}): ChainCertificate[] {
  const chain: ChainCertificate[] = []
  let cert: (PeerCertificate & {issuerCertificate?: PeerCertificate}) | undefined = leaf
  while (cert && chain.length < 10 && !chain.some((c) => c.fingerprint === cert!.fingerprint256)) {
    const issuer = cert.issuerCertificate as
      (PeerCertificate & {issuerCertificate?: PeerCertificate}) | undefined
    chain.push({
      fingerprint: cert.fingerprint256,
      issuer: distinguishedName(cert.issuer),
      selfSigned: !issuer || issuer.fingerprint256 === cert.fingerprint256,
      subject: distinguishedName(cert.subject),
      subjectAltName: cert.subjectaltname,
      validFrom: cert.valid_from,
      validTo: cert.valid_to,
    })
    cert = issuer
  }

  return chain
}

/** An agent that sends the probe through the proxy (a tunnel for https:// endpoints). */
async function proxyAgent(proxy: ChosenProxy, tls: boolean): Promise<Agent> {
  if (tls) {
    const {HttpsProxyAgent} = await import('https-proxy-agent')
    return new HttpsProxyAgent(proxy.url.href)
  }

  const {HttpProxyAgent} = await import('http-proxy-agent')
  return new HttpProxyAgent(proxy.url.href)
}

/** A CONNECT tunnel through the proxy to host:port (for the TLS inspection). */
async function tunnel(proxy: ChosenProxy, host: string, port: number, timeoutMs: number): Promise<Socket> {
  const {request} = proxy.url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const authority = isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`
  const headers: Record<string, string> = {Host: authority}
  if (proxy.url.username !== '' || proxy.url.password !== '') {
    const pair = `${decodeURIComponent(proxy.url.username)}:${decodeURIComponent(proxy.url.password)}`
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`
  }

  return new Promise((resolve, reject) => {
    const req = request({
      headers,
      host: proxy.url.hostname.replaceAll(/^\[|\]$/g, ''),
      method: 'CONNECT',
      path: authority,
      port: Number(proxy.url.port || (proxy.url.protocol === 'https:' ? 443 : 80)),
      timeout: timeoutMs,
    })
    req.once('connect', (res: IncomingMessage, socket: Socket) => {
      if (res.statusCode === 200) resolve(socket)
      else {
        socket.destroy()
        reject(new Error(`the proxy answered the CONNECT with HTTP ${res.statusCode}`))
      }
    })
    req.once('timeout', () => req.destroy(new Error(`the proxy did not answer within ${timeoutMs / 1000} s`)))
    req.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`the proxy: ${error.code ?? error.message}`)),
    )
    req.end()
  })
}

/**
 * Connects with TLS to the URL's host (through the proxy's tunnel when one is used) and reports
 * the chain and how it verifies against `ca`.
 */
export async function inspectTls(
  url: string,
  ca: Buffer | undefined,
  timeoutMs: number,
  proxy?: ChosenProxy,
): Promise<TlsInspection> {
  const {hostname, port} = new URL(url)
  const host = hostname.replaceAll(/^\[|\]$/g, '')
  let through: Socket | undefined
  if (proxy) {
    try {
      through = await tunnel(proxy, host, Number(port || 443), timeoutMs)
    } catch (error) {
      return {authorized: false, chain: [], error: (error as Error).message}
    }
  }

  return new Promise((resolve) => {
    const socket = connect({
      ca,
      host,
      port: Number(port || 443),
      rejectUnauthorized: false,
      servername: isIP(host) === 0 ? host : undefined,
      socket: through,
      timeout: timeoutMs,
    })
    const finish = (result: TlsInspection) => {
      socket.destroy()
      resolve(result)
    }

    socket.once('secureConnect', () => {
      const leaf = socket.getPeerCertificate(true)
      if (!leaf || Object.keys(leaf).length === 0) {
        finish({authorized: false, chain: [], error: 'the server presented no certificate'})
        return
      }

      const reason = socket.authorizationError as unknown
      finish({
        authorized: socket.authorized,
        authorizationError: reason === null || reason === undefined ? undefined : String(reason),
        chain: chainOf(leaf),
        hostnameError: checkServerIdentity(host, leaf)?.message,
        protocol: socket.getProtocol() ?? undefined,
      })
    })
    socket.once('timeout', () =>
      finish({authorized: false, chain: [], error: `no TLS handshake within ${timeoutMs / 1000} s`}),
    )
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({authorized: false, chain: [], error: error.code ?? error.message}),
    )
  })
}
