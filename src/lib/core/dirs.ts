/**
 * moldctl's directories, worked out as oclif's Config does (config, data, cache) for the code
 * that runs without oclif (completion), plus the XDG state directory (shell history), which
 * oclif has no notion of.
 */
import {homedir, tmpdir} from 'node:os'
import path from 'node:path'

export interface MoldctlDirs {
  cache: string
  config: string
  data: string
  state: string
}

const DIRNAME = 'moldctl'

export function moldctlDirs(env: NodeJS.ProcessEnv = process.env, platform = process.platform): MoldctlDirs {
  const home = env.HOME || homedir() || tmpdir()
  const xdg = (category: 'cache' | 'config' | 'data' | 'state', fallback: string) =>
    path.join(env[`XDG_${category.toUpperCase()}_HOME`] || path.join(home, fallback), DIRNAME)
  const macCache = platform === 'darwin' ? path.join(home, 'Library', 'Caches', DIRNAME) : undefined
  return {
    cache: env.MOLDCTL_CACHE_DIR || macCache || xdg('cache', '.cache'),
    config: env.MOLDCTL_CONFIG_DIR || xdg('config', '.config'),
    data: env.MOLDCTL_DATA_DIR || xdg('data', path.join('.local', 'share')),
    state: xdg('state', path.join('.local', 'state')),
  }
}
