// Preload (`node --import`): records every module file the process loads, ESM through a loader
// hook and CommonJS through require.cache, into the file named by MOLDCTL_TRACE_FILE.
import {appendFileSync} from 'node:fs'
import {createRequire, register} from 'node:module'

register('./hooks.mjs', import.meta.url)
const require = createRequire(import.meta.url)
process.on('exit', () => {
  appendFileSync(process.env.MOLDCTL_TRACE_FILE, Object.keys(require.cache).join('\n') + '\n')
})
