import {Flags} from '@oclif/core'

import type {DbSource} from '../lib/host-password/run.js'

import {DEFAULT_DB_PROPERTIES} from '../lib/crypto/db-properties.js'

/** How `host password rotate --via db` and `host password restore` reach the database. */
export const databaseFlags = {
  'db-key-file': Flags.string({
    helpGroup: 'DATABASE',
    summary: 'File holding the database key (with --db-url; else it is read from standard input).',
  }),
  'db-properties': Flags.string({
    default: DEFAULT_DB_PROPERTIES,
    helpGroup: 'DATABASE',
    summary: "The management server's db.properties.",
  }),
  'db-url': Flags.string({
    env: 'MOLDCTL_DB_URL',
    helpGroup: 'DATABASE',
    summary: 'mysql://USER@HOST:PORT/DB instead of db.properties; password in MOLDCTL_DB_PASSWORD.',
  }),
  'key-file': Flags.string({
    helpGroup: 'DATABASE',
    summary: 'Management key file (default /etc/cloudstack/management/key, or CLOUD_SECRET_KEY).',
  }),
}

/** The database flags as the options lib takes. */
export function databaseSource(flags: {
  'db-key-file'?: string
  'db-properties': string
  'db-url'?: string
  'key-file'?: string
}): DbSource {
  return {
    dbKeyFile: flags['db-key-file'],
    dbProperties: flags['db-properties'],
    dbUrl: flags['db-url'],
    keyFile: flags['key-file'],
  }
}
