/**
 * jasypt V1 key derivation (PBKDF1-MD5, 1000 rounds) for many salts at once. It is the whole
 * cost of V1: checking 5,000 stored values and writing 5,000 new ones is 10,000 derivations.
 * Large batches are shared between this thread and worker threads, one per spare CPU; when
 * workers cannot start (or this code runs from TypeScript sources), it all runs here.
 */
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import {md5, md5Repeated} from './md5.js'

export const V1_ITERATIONS = 1000
const SALT = 8
const DERIVED = 16
/** Below this many salts a worker costs more to start than it saves. */
const PARALLEL_THRESHOLD = 256

/** PBKDF1 with MD5, 1000 iterations: the first 8 bytes are the DES key, the next 8 the IV. */
export function deriveV1KeyAndIv(passwordBytes: Uint8Array, salt: Uint8Array): Uint8Array {
  const first = new Uint8Array(passwordBytes.length + salt.length)
  first.set(passwordBytes)
  first.set(salt, passwordBytes.length)
  return md5Repeated(md5(first), V1_ITERATIONS - 1)
}

/** Key and IV (16 bytes each, concatenated) for salts of 8 bytes each, concatenated. */
export function deriveMany(passwordBytes: Uint8Array, salts: Uint8Array): Uint8Array {
  const count = salts.length / SALT
  const out = new Uint8Array(count * DERIVED)
  for (let i = 0; i < count; i++) {
    out.set(deriveV1KeyAndIv(passwordBytes, salts.subarray(i * SALT, (i + 1) * SALT)), i * DERIVED)
  }

  return out
}

// Runs in the worker: this module's built file derives its share and posts it back. In the bundle
// (scripts/build.mjs) this code may sit in a shared chunk whose export names are mangled; the
// build writes the module itself as v1-derive.js into the same folder.
const MODULE_URL = new URL('v1-derive.js', import.meta.url).href
const WORKER_SOURCE = `
const {parentPort, workerData} = require('node:worker_threads')
import(workerData.moduleUrl).then(
  (m) => {
    const out = m.deriveMany(workerData.password, workerData.salts)
    parentPort.postMessage(out, [out.buffer])
  },
  (error) => parentPort.postMessage({error: String(error)}),
)`

function deriveInWorker(passwordBytes: Uint8Array, salts: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {moduleUrl: MODULE_URL, password: passwordBytes, salts},
    })
    worker.once('message', (message: Uint8Array | {error: string}) => {
      worker.terminate().catch(() => {})
      if (message instanceof Uint8Array) resolve(message)
      else reject(new Error(message.error))
    })
    worker.once('error', reject)
  })
}

/** Like deriveMany, spread over the CPUs for large batches. */
export async function deriveManyParallel(passwordBytes: Uint8Array, salts: Uint8Array): Promise<Uint8Array> {
  const count = salts.length / SALT
  const threads = Math.min(availableParallelism(), 4)
  // From TypeScript sources (tests run through tsx) a worker could not load this module.
  if (count < PARALLEL_THRESHOLD || threads < 2 || import.meta.url.endsWith('.ts')) {
    return deriveMany(passwordBytes, salts)
  }

  const per = Math.ceil(count / threads)
  const shares = Array.from({length: threads}, (_, t) => salts.subarray(t * per * SALT, (t + 1) * per * SALT))
  const workers = shares
    .slice(1)
    .map((share) =>
      deriveInWorker(passwordBytes, Uint8Array.from(share)).catch(() => deriveMany(passwordBytes, share)),
    )
  const mine = deriveMany(passwordBytes, shares[0])
  const parts = [mine, ...(await Promise.all(workers))]
  const out = new Uint8Array(count * DERIVED)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }

  return out
}
