import {Flags} from '@oclif/core'

/** --host/--cluster/--zone of `oobm enable` and `oobm disable`. */
export const enablementScopeFlags = {
  cluster: Flags.string({summary: 'The cluster (name or id): sets its outOfBandManagementEnabled detail.'}),
  host: Flags.string({multiple: true, summary: 'A host (name, id or IP); repeat for several.'}),
  zone: Flags.string({summary: 'The zone (name or id): sets its outOfBandManagementEnabled detail.'}),
}
