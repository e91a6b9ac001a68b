import {Flags} from '@oclif/core'

import {OUTPUT_FORMATS} from '../lib/output/render.js'

/** -o/--columns for commands that print data. */
export const outputFlags = {
  // One value, comma-separated: a multiple-value flag would swallow the arguments after it.
  columns: Flags.string({
    helpGroup: 'OUTPUT',
    summary:
      'Columns for table/csv output: API field names, comma-separated (dotted paths reach nested fields).',
  }),
  'csv-raw': Flags.boolean({
    helpGroup: 'OUTPUT',
    summary: "CSV cells exactly as the server sent them (no ' before = + - @, control characters kept).",
  }),
  output: Flags.string({
    char: 'o',
    helpGroup: 'OUTPUT',
    options: OUTPUT_FORMATS,
    summary: 'Output format (wide: a table never cut to the terminal width).',
  }),
}

/** Connection flags of every command that talks to the API. */
export const connectionFlags = {
  'ca-file': Flags.string({
    helpGroup: 'CONNECTION',
    summary: 'CA certificate (PEM) to verify the server with.',
  }),
  debug: Flags.boolean({
    helpGroup: 'CONNECTION',
    summary: 'Log requests and answers on stderr (secrets redacted).',
  }),
  insecure: Flags.boolean({helpGroup: 'CONNECTION', summary: 'Do not verify the server TLS certificate.'}),
  proxy: Flags.string({
    helpGroup: 'CONNECTION',
    summary:
      "Proxy for the API, e.g. http://proxy:3128 (beats HTTPS_PROXY/HTTP_PROXY and the profile's proxy:); '' for none.",
  }),
  profile: Flags.string({
    char: 'p',
    helpGroup: 'CONNECTION',
    summary: 'Profile to use (default: MOLDCTL_PROFILE, then the current profile).',
  }),
  'request-timeout': Flags.integer({
    helpGroup: 'CONNECTION',
    min: 1,
    summary: 'Seconds to wait for each HTTP answer (default 30).',
  }),
  // On commands that wait for something, --timeout is redefined as the wait limit.
  timeout: Flags.integer({
    helpGroup: 'CONNECTION',
    min: 1,
    summary: 'Seconds to wait for each HTTP answer (same as --request-timeout).',
  }),
  url: Flags.string({
    helpGroup: 'CONNECTION',
    summary: 'API endpoint; a comma-separated list gives failover endpoints.',
  }),
}

/** --yes for every mutating command (accepted even where nothing would be asked). */
export const yesFlag = {
  yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation.'}),
}

export const dryRunFlag = {
  'dry-run': Flags.boolean({
    summary: 'Read what is needed, change nothing, print the API calls that would be made.',
  }),
}
