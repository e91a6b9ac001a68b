import {OobmEnablementCommand, type OobmEnablementResult} from '../../base/oobm-enablement-command.js'

export default class OobmDisable extends OobmEnablementCommand<typeof OobmDisable> {
  static override description = `Disable out-of-band management for hosts, a cluster or a zone.

Disabling a cluster or zone turns it off for every host in it (their power state becomes Disabled) without touching the hosts' own settings; enabling the cluster or zone again brings them back.`
  static override examples = [
    '<%= config.bin %> oobm disable --host kvm-host-03',
    '<%= config.bin %> oobm disable --cluster kvm-cluster-1',
    '<%= config.bin %> oobm disable --cluster kvm-cluster-1 --dry-run',
    '<%= config.bin %> oobm disable --zone zone-1 --json',
  ]

  async run(): Promise<OobmEnablementResult> {
    return this.changeEnablement(false)
  }
}
