import {OobmEnablementCommand, type OobmEnablementResult} from '../../base/oobm-enablement-command.js'

export default class OobmEnable extends OobmEnablementCommand<typeof OobmEnable> {
  static override description = `Enable out-of-band management for hosts, a cluster or a zone.

A power action runs on a host only when OOBM is enabled for the host and not disabled for its cluster or zone (zones and clusters count as enabled until disabled). Hosts must be configured first (\`oobm configure\`). After enabling, the server refreshes the power state in the background.`
  static override examples = [
    '<%= config.bin %> oobm enable --host kvm-host-01',
    '<%= config.bin %> oobm enable --host kvm-host-01 --host kvm-host-02',
    '<%= config.bin %> oobm enable --cluster kvm-cluster-1',
    '<%= config.bin %> oobm enable --cluster kvm-cluster-1 --dry-run',
    '<%= config.bin %> oobm enable --zone zone-1 --json',
  ]

  async run(): Promise<OobmEnablementResult> {
    return this.changeEnablement(true)
  }
}
