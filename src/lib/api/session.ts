import type {Activity} from '../output/spinner.js'

import {MoldctlError} from '../core/errors.js'
import {unwrapResponse} from './envelope.js'
import {type HttpAnswer, type HttpTransport} from './transport.js'

/** A login session: its cookies, the endpoint it belongs to and its session key. */
export interface Session {
  cookie: string
  endpoint: number
  key: string
}

export interface LoginOptions {
  activity?: (text: string) => Promise<Activity>
  domain?: string
  /** Index of `url` among the client's endpoints (a session is only good there). */
  endpoint: number
  log: (line: string) => void
  password?: string
  url: string
  username?: string
}

/** Logs in with username and password (POST, the password never in a URL or a log line). */
export async function login(transport: HttpTransport, opts: LoginOptions): Promise<Session> {
  const {domain, password, url, username} = opts
  const form = {
    command: 'login',
    domain: domain ?? '/',
    password: password ?? '',
    response: 'json',
    username: username ?? '',
  }
  opts.log(`POST ${url} command=login username=${username} password=***`)
  const activity = await opts.activity?.(`Logging in to ${new URL(url).host} as ${username}`)
  let answer: HttpAnswer
  try {
    answer = await transport.send({form, method: 'POST', url})
  } finally {
    activity?.stop()
  }

  opts.log(`login answered HTTP ${answer.status}`)
  const inner = unwrapResponse('login', answer.status, answer.body)
  const cookies = setCookies(answer)
  const key = String(inner.sessionkey ?? cookies.sessionkey ?? '')
  if (!key || !cookies.JSESSIONID) throw new MoldctlError('login succeeded but the server sent no session')
  return {
    cookie: Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    endpoint: opts.endpoint,
    key,
  }
}

function setCookies(answer: HttpAnswer): Record<string, string> {
  const raw = answer.headers['set-cookie']
  const list = Array.isArray(raw) ? raw : raw ? [raw] : []
  const out: Record<string, string> = {}
  for (const line of list) {
    const [pair] = line.split(';')
    const eq = pair.indexOf('=')
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
  }

  return out
}
