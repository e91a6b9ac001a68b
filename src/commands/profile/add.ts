import {Args, Flags} from '@oclif/core'
import {access, constants} from 'node:fs/promises'
import path from 'node:path'

import {BaseCommand, connectionFlags} from '../../base-command.js'
import {parseEndpointList} from '../../lib/config/connection.js'
import {
  buildProfile,
  checkProfileName,
  maskProfile,
  proxyToStore,
  secretToRead,
  type ShownProfile,
  withProxyPassword,
} from '../../lib/config/profile-edit.js'
import {FLAVOR_SETTINGS, type FlavorSetting, ProfileStore} from '../../lib/config/profiles.js'
import {UsageError} from '../../lib/core/errors.js'
import {promptSecret, readStdin} from '../../lib/output/prompt.js'

/** `profile add --json`: the saved profile as `profile show` shows it (secrets masked), its name and whether it is the current one. */
export type ProfileAddResult = ShownProfile & {current: boolean; name: string}

export default class ProfileAdd extends BaseCommand<typeof ProfileAdd> {
  static override args = {name: Args.string({description: 'Name of the new profile.', required: true})}
  static override baseFlags = {debug: connectionFlags.debug}
  static override description =
    'The secret key or password comes from stdin (--secret-key-stdin, --password-stdin) or from a hidden prompt at a terminal, never from the command line. The URL is stored in full (…/client/api); a comma-separated list gives failover endpoints. The first profile added becomes the current one.'
  static override examples = [
    'printf \'%s\' "$SECRET" | <%= config.bin %> profile add prod --url https://mold.example.com --api-key "$APIKEY" --secret-key-stdin',
    '<%= config.bin %> profile add prod --url https://mold.example.com --api-key "$APIKEY"   # asks for the secret key',
    'printf \'%s\' "$PASSWORD" | <%= config.bin %> profile add lab --url http://10.0.0.10:8080 --username ops --password-stdin --domain /ROOT/ops',
    '<%= config.bin %> profile add corp --url https://mold.example.com --api-key "$APIKEY" --proxy http://proxy.corp:3128   # asks for the secret key',
    '<%= config.bin %> profile add corp --url https://mold.example.com --api-key "$APIKEY" --proxy http://ops@proxy.corp:3128   # asks for the secret key, then the proxy password',
    '<%= config.bin %> profile add lab --url http://10.0.0.10:8080 --api-key "$APIKEY" --proxy none   # never through HTTPS_PROXY/HTTP_PROXY',
    '<%= config.bin %> profile add ha --url https://mgmt1:8443,https://mgmt2:8443 --api-key "$APIKEY" --flavor cloudstack --ca-file ./ca.pem --default',
  ]
  static override flags = {
    'api-key': Flags.string({
      helpGroup: 'CREDENTIALS',
      summary: 'API key; the secret key comes from stdin or the prompt.',
    }),
    'ca-file': Flags.string({summary: 'CA certificate (PEM) to verify the server with.'}),
    default: Flags.boolean({summary: 'Make this the current profile.'}),
    domain: Flags.string({
      helpGroup: 'CREDENTIALS',
      summary: 'Domain path of the --username account, e.g. /ROOT/ops.',
    }),
    flavor: Flags.string({
      default: 'auto',
      options: [...FLAVOR_SETTINGS],
      summary: 'Signing: mold (HmacSHA256), cloudstack (HmacSHA1) or auto (detect once).',
    }),
    force: Flags.boolean({summary: 'Replace an existing profile of the same name.'}),
    insecure: Flags.boolean({summary: 'Do not verify the server TLS certificate.'}),
    'password-stdin': Flags.boolean({
      helpGroup: 'CREDENTIALS',
      summary: 'Read the password of --username from stdin.',
    }),
    proxy: Flags.string({
      summary:
        "Proxy for this server (beats HTTPS_PROXY/HTTP_PROXY): http://proxy:3128, http://USER@proxy:3128 (the password is asked for), or 'none'.",
    }),
    'proxy-password-stdin': Flags.boolean({
      dependsOn: ['proxy'],
      summary: 'Read the password of the --proxy user from stdin.',
    }),
    'secret-key-stdin': Flags.boolean({helpGroup: 'CREDENTIALS', summary: 'Read the secret key from stdin.'}),
    timeout: Flags.integer({min: 1, summary: 'Seconds to wait for each HTTP answer (default 30).'}),
    url: Flags.string({
      required: true,
      summary:
        'API endpoint (https://host, http://host:8080, .../client/api); comma-separated = failover list.',
    }),
    username: Flags.string({
      helpGroup: 'CREDENTIALS',
      summary: 'Log in with this username instead of API keys.',
    }),
  }
  static override summary = 'Save a server and its credentials as a profile.'

  async run(): Promise<ProfileAddResult> {
    const {args, flags} = this
    checkProfileName(args.name)
    parseEndpointList(flags.url)
    const need = secretToRead({
      apiKey: flags['api-key'],
      domain: flags.domain,
      passwordStdin: flags['password-stdin'],
      secretKeyStdin: flags['secret-key-stdin'],
      username: flags.username,
    })
    const proxy = flags.proxy === undefined ? undefined : proxyToStore(flags.proxy)
    if (flags['proxy-password-stdin'] && proxy?.user === undefined)
      throw new UsageError('--proxy-password-stdin: the --proxy URL names no user (http://USER@proxy:3128)')
    if (flags['proxy-password-stdin'] && need.fromStdin)
      throw new UsageError(
        `only one secret can come from stdin: ${need.stdinFlag} or --proxy-password-stdin`,
        ['let the other be asked for at the terminal'],
      )
    const store = new ProfileStore(this.config.configDir)
    if (!flags.force && Object.hasOwn((await store.load()).profiles, args.name)) {
      throw new UsageError(`a profile named "${args.name}" exists`, [
        `replace it with --force, or first: moldctl profile remove ${args.name}`,
      ])
    }

    const caFile = flags['ca-file'] === undefined ? undefined : path.resolve(flags['ca-file'])
    if (caFile)
      await access(caFile, constants.R_OK).catch(() => {
        throw new UsageError(`--ca-file: cannot read ${caFile}`)
      })

    const secret = need.fromStdin
      ? await readStdin(need.label.toLowerCase())
      : await promptSecret(`${need.label} for profile "${args.name}"`, {stdinFlag: need.stdinFlag})
    const proxyPassword =
      proxy?.user === undefined
        ? undefined
        : flags['proxy-password-stdin']
          ? await readStdin('the proxy password')
          : await promptSecret(`Password of proxy user "${proxy.user}"`, {
              stdinFlag: '--proxy-password-stdin',
            })
    const profile = buildProfile({
      apiKey: flags['api-key'],
      caFile,
      domain: flags.domain,
      flavor: flags.flavor as FlavorSetting,
      insecure: flags.insecure,
      [need.field]: secret,
      timeout: flags.timeout,
      url: flags.url,
      username: flags.username,
    })
    if (proxy !== undefined)
      profile.proxy = proxyPassword === undefined ? proxy.url : withProxyPassword(proxy.url, proxyPassword)
    const config = await store.update((c) => {
      c.profiles[args.name] = profile
      if (flags.default || c.current === undefined) c.current = args.name
    })
    const current = config.current === args.name
    this.logToStderr(`Saved profile "${args.name}"${current ? ' (current)' : ''} in ${store.path}`)
    return {current, name: args.name, ...maskProfile(profile)}
  }
}
