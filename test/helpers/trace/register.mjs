// Preload (`node --import`): records every module file the process loads, ESM through a loader
// hook and CommonJS through require.cache, and node's built-in modules, into the file named by
// MOLDCTL_TRACE_FILE.
import {appendFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'

register('./hooks.mjs', import.meta.url)
const require = createRequire(import.meta.url)
// Node's own modules the process loaded, as `node:<name>` lines (process.moduleLoadList names
// each built-in once it was compiled, whoever asked for it).
const builtins = () =>
  process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => `node:${m.slice(13)}`)
process.on('exit', () => {
  appendFileSync(
    process.env.MOLDCTL_TRACE_FILE,
    [...Object.keys(require.cache), ...builtins()].join('\n') + '\n',
  )
})
