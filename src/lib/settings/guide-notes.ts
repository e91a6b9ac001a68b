/*
 * What the admin guide ("Working with hosts") says about each setting it names, beside what the
 * server reports (listConfigurations `isdynamic`). They do not always agree: the guide asks for a
 * management-server restart after outofbandmanagement.sync.poolsize and after turning
 * ca.plugin.root.auth.strictness on, while the server declares both dynamic (OutOfBandManagement-
 * Service.SyncThreadPoolSize, RootCAProvider.rootCAAuthStrictness); it says the other OOBM
 * settings change without a restart, while the server declares some of them static. Where they
 * disagree moldctl says both rather than pick one.
 */

export interface GuideNote {
  /** The guide's words, shortened. */
  note: string
  /** true: the guide asks for a restart; false: it says no restart is needed; absent: it says nothing. */
  restart?: boolean
  /** The guide section the note comes from. */
  section: string
}

const OOBM = '§10 out-of-band management'
const CA = '§11 security'
const OVERPROVISIONING = '§8 overprovisioning'
const ROLLING = '§13 KVM rolling maintenance'
const OOBM_LIVE =
  'the guide: the OOBM settings other than sync.poolsize change without restarting the management server'
const FACTOR_NOTE =
  'the guide: default 1 (off); only VMs deployed after the change use the new factor (stop and start the others to adopt it); the global value applies to clusters created afterwards; on XenServer it must not exceed 4'

export const GUIDE_NOTES: Record<string, GuideNote> = {
  'ca.framework.background.task.delay': {
    note: 'the guide: the CA background task and its thread pool are set up only when the management server starts, so a change needs a restart',
    restart: true,
    section: CA,
  },
  'ca.framework.cert.automatic.renewal': {
    note: 'the guide: whether expiring host certificates are renewed automatically',
    section: CA,
  },
  'ca.framework.cert.expiry.alert.period': {
    note: 'the guide: days before expiry at which certificates are checked and alerted on',
    section: CA,
  },
  'ca.framework.cert.keysize': {note: 'the guide: key size used to generate certificates', section: CA},
  'ca.framework.cert.signature.algorithm': {note: 'the guide: certificate signature algorithm', section: CA},
  'ca.framework.cert.validity.period': {
    note: 'the guide: validity of issued certificates, in days',
    section: CA,
  },
  'ca.framework.provider.plugin': {
    note: 'the guide: the configured CA provider plugin (root by default)',
    section: CA,
  },
  'ca.plugin.root.allow.expired.cert': {
    note: 'the guide: whether clients with expired certificates are allowed',
    section: CA,
  },
  'ca.plugin.root.auth.strictness': {
    note: 'the guide: once every agent/host is secured (moldctl host cert provision), set it true to enforce two-way SSL authentication, and restart the management server',
    restart: true,
    section: CA,
  },
  'ca.plugin.root.ca.certificate': {
    note: 'the guide: the CA certificate (hidden, encrypted in the database)',
    section: CA,
  },
  'ca.plugin.root.issuer.dn': {
    note: 'the guide: the issuer distinguished name of the root CA provider',
    section: CA,
  },
  'ca.plugin.root.private.key': {
    note: 'the guide: the generated CA private key (hidden, encrypted in the database)',
    section: CA,
  },
  'ca.plugin.root.public.key': {
    note: 'the guide: the CA public key (hidden, encrypted in the database)',
    section: CA,
  },
  'cpu.overprovisioning.factor': {note: FACTOR_NOTE, section: OVERPROVISIONING},
  'kvm.rolling.maintenance.ping.interval': {
    note: 'the guide: how often (seconds, default 10) the management server checks a host running a stage; a timeout below it makes startRollingMaintenance fail at once',
    section: ROLLING,
  },
  'kvm.rolling.maintenance.stage.timeout': {
    note: 'the guide: timeout (seconds, default 1800) of each stage on a host',
    section: ROLLING,
  },
  'kvm.rolling.maintenance.wait.maintenance.timeout': {
    note: 'the guide: how long (seconds, default 1800) to wait for a host to enter maintenance during rolling maintenance',
    section: ROLLING,
  },
  'mem.overprovisioning.factor': {
    note: `${FACTOR_NOTE}; on KVM, memory overprovisioning needs the balloon driver (virtio, CONFIG_VIRTIO_BALLOON=y) in every VM`,
    section: OVERPROVISIONING,
  },
  'outofbandmanagement.action.timeout': {
    note: `${OOBM_LIVE}; default 60 seconds, per cluster`,
    restart: false,
    section: OOBM,
  },
  'outofbandmanagement.ipmitool.interface': {
    note: `${OOBM_LIVE}; default lanplus`,
    restart: false,
    section: OOBM,
  },
  'outofbandmanagement.ipmitool.path': {
    note: `${OOBM_LIVE}; default /usr/bin/ipmitool`,
    restart: false,
    section: OOBM,
  },
  'outofbandmanagement.ipmitool.retries': {
    note: `${OOBM_LIVE}; default 1 (ipmitool -R)`,
    restart: false,
    section: OOBM,
  },
  'outofbandmanagement.sync.poolsize': {
    note: 'the guide: the background power-state sync thread pool is set up when the management server starts, so a change needs a restart; a full sweep takes about hosts x action.timeout / poolsize seconds',
    restart: true,
    section: OOBM,
  },
  'redfish.ignore.ssl': {note: OOBM_LIVE, restart: false, section: OOBM},
  'redfish.use.https': {note: OOBM_LIVE, restart: false, section: OOBM},
}

export type Applies = 'live' | 'restart' | 'restart (guide)' | 'restart (server)'

/**
 * When a change applies: `restart` when server and guide agree on it, `restart (guide)` when
 * only the guide asks for one, `restart (server)` when the server declares it static while the
 * guide says no restart is needed, else `live`.
 */
export function settingApplies(name: string, isdynamic: boolean | undefined): Applies {
  const guide = GUIDE_NOTES[name]?.restart
  const serverRestart = isdynamic === false
  if (guide === true) return serverRestart ? 'restart' : 'restart (guide)'
  if (serverRestart) return guide === false ? 'restart (server)' : 'restart'
  return 'live'
}

/** The lines shown after a setting is set (and with `setting get`): restart advice first, then the guide's note. */
export function settingNotes(name: string, isdynamic: boolean | undefined): string[] {
  const guide = GUIDE_NOTES[name]
  const lines: string[] = []
  const restart = 'restart the management server(s) to apply it (systemctl restart cloudstack-management)'
  switch (settingApplies(name, isdynamic)) {
    case 'live': {
      break
    }

    case 'restart': {
      lines.push(`${name} is read at start-up: ${restart}`)
      break
    }

    case 'restart (guide)': {
      lines.push(`the server reports ${name} dynamic; the guide says ${restart}`)
      break
    }

    case 'restart (server)': {
      lines.push(
        `the server reports ${name} read at start-up (not dynamic); the guide says it changes without a restart: to be sure, ${restart}`,
      )
      break
    }
  }

  if (guide) lines.push(`${guide.note} (${guide.section})`)
  return lines
}
