import type {SimModel} from '../state/model.js'
import type {SimClock} from './clock.js'

import {findHost, parseSimDuration, rebootHost, RebootRefusedError} from './reboot.js'

/**
 * `POST /sim/hosts/<id|name|ip>/reboot?down=20s&version=V`: reboots a simulated host (see
 * reboot.ts). `down=never` keeps it Disconnected. Answers 200 with what was started, 400 for a
 * bad duration, 404 for an unknown host, 409 when the host is not Up.
 */
export function rebootHook(
  sim: {clock: SimClock; model: SimModel; onChange: () => void},
  ref: string,
  query: URLSearchParams,
): {body: unknown; status: number} {
  const {clock, model, onChange} = sim
  const host = findHost(model, ref)
  if (!host) return {body: {error: `no host ${ref}`}, status: 404}
  const down = query.get('down') ?? '20s'
  const downMs = down === 'never' ? undefined : parseSimDuration(down)
  if (down !== 'never' && downMs === undefined)
    return {body: {error: `down must be a duration such as 20s, 2m or never, not ${down}`}, status: 400}
  try {
    const version = query.get('version') ?? undefined
    return {body: rebootHost(model, clock, host, {downMs, onChange, version}), status: 200}
  } catch (error) {
    if (error instanceof RebootRefusedError) return {body: {error: error.message}, status: error.status}
    throw error
  }
}
