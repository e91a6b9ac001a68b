import type {CliHome, CliResult} from './cli.js'

import {type ConfigFile, ProfileStore} from '../../src/lib/config/profiles.js'

/** Secrets used by the profile tests; none of them may ever appear in the CLI's output. */
export const SECRETS = {
  apiKey: 'AK6Iu7gp2dQkQ0sIGdSzIwrOAnHY4cMiZqR3qkzGKvUHzuPPOYe7l8yRzTDoNgnV6',
  password: 'correct horse battery staple',
  secretKey: 'Sx9bZkT0-qLx4mYBe9nJ2w7cRf3pVh1aGd8sKuWzEo5tNy6iQrXlMjHgFvCbDA',
}

/** Two profiles, one with keys (current) and one with a login. */
export const TWO_PROFILES: ConfigFile = {
  current: 'prod',
  profiles: {
    lab: {
      domain: '/ROOT/ops',
      password: SECRETS.password,
      url: 'http://10.0.0.10:8080/client/api',
      username: 'ops',
    },
    prod: {
      apikey: SECRETS.apiKey,
      flavor: 'mold',
      secretkey: SECRETS.secretKey,
      url: 'https://mold.example.com/client/api',
    },
  },
}

/** Writes a profiles file into the test home, as moldctl would. */
export async function writeProfiles(home: CliHome, config: ConfigFile = TWO_PROFILES): Promise<ProfileStore> {
  const store = new ProfileStore(home.configDir)
  await store.save(structuredClone(config))
  return store
}

export async function readProfiles(home: CliHome): Promise<ConfigFile> {
  return new ProfileStore(home.configDir).load()
}

/** Fails when stdout or stderr holds the secret key, the password or the full API key. */
export function assertNoSecrets(result: CliResult): void {
  for (const secret of Object.values(SECRETS)) {
    if (result.stdout.includes(secret) || result.stderr.includes(secret)) {
      throw new Error(
        `a secret was printed:\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
      )
    }
  }
}
