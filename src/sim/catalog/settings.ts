/** A global setting as the server defines it (ConfigKey): names, defaults and texts are the real ones. */
export interface SettingDefinition {
  category: string
  component: string
  defaultValue: string
  description: string
  isDynamic: boolean
  name: string
  options?: string
  /** Scopes below global where the setting can be overridden. */
  scopes: Array<'account' | 'cluster' | 'domain' | 'storagepool' | 'zone'>
  /** The upstream file (apache/cloudstack) declaring the ConfigKey, where it has been checked. */
  source?: string
  type: 'Boolean' | 'Double' | 'Float' | 'Integer' | 'Long' | 'Select' | 'String'
}

type Def = Omit<SettingDefinition, 'component' | 'scopes'> & Partial<SettingDefinition>

function def(d: Def): SettingDefinition {
  return {component: 'management-server', scopes: [], ...d}
}

const OOBM = 'OutOfBandManagementService'
const OOBM_SERVICE =
  'api/src/main/java/org/apache/cloudstack/outofbandmanagement/OutOfBandManagementService.java'
const IPMITOOL_DRIVER =
  'plugins/outofbandmanagement-drivers/ipmitool/src/main/java/org/apache/cloudstack/outofbandmanagement/driver/ipmitool/IpmitoolOutOfBandManagementDriver.java'
const CA = 'CAManager'

export const SETTING_DEFINITIONS: SettingDefinition[] = [
  def({
    category: 'Advanced',
    defaultValue: '500',
    description: 'Default page size for API list* commands',
    isDynamic: false,
    name: 'default.page.size',
    type: 'Long',
  }),
  def({
    category: 'Advanced',
    component: 'KVMInvestigator',
    defaultValue: '1800',
    description: 'Wait timeout (in seconds) for a rolling maintenance stage update from hosts',
    isDynamic: true,
    name: 'kvm.rolling.maintenance.stage.timeout',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    defaultValue: '10',
    description:
      'Ping interval in seconds between management server and hosts performing stages during rolling maintenance',
    isDynamic: true,
    name: 'kvm.rolling.maintenance.ping.interval',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    defaultValue: '1800',
    description: 'Timeout (in seconds) to wait for a host preparing to enter maintenance mode',
    isDynamic: true,
    name: 'kvm.rolling.maintenance.wait.maintenance.timeout',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: OOBM,
    defaultValue: '60',
    description: 'The out of band management action timeout in seconds, configurable by cluster',
    isDynamic: true,
    name: 'outofbandmanagement.action.timeout',
    source: OOBM_SERVICE,
    scopes: ['cluster'],
    type: 'Long',
  }),
  def({
    category: 'Advanced',
    component: OOBM,
    defaultValue: '50',
    description: 'The out of band management background sync thread pool size',
    isDynamic: true,
    name: 'outofbandmanagement.sync.poolsize',
    source: OOBM_SERVICE,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: 'IpmitoolOutOfBandManagementDriver',
    defaultValue: '/usr/bin/ipmitool',
    description:
      'The out of band management ipmitool path used by the IpmiTool driver. Default: /usr/bin/ipmitool.',
    isDynamic: true,
    name: 'outofbandmanagement.ipmitool.path',
    source: IPMITOOL_DRIVER,
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: 'IpmitoolOutOfBandManagementDriver',
    defaultValue: 'lanplus',
    description:
      'The out of band management IpmiTool driver interface to use. Default: lanplus. Valid values are: lan, lanplus, open etc.',
    isDynamic: true,
    name: 'outofbandmanagement.ipmitool.interface',
    source: IPMITOOL_DRIVER,
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: 'IpmitoolOutOfBandManagementDriver',
    defaultValue: '1',
    description: 'The out of band management IpmiTool driver retries option -R. Default 1.',
    isDynamic: true,
    name: 'outofbandmanagement.ipmitool.retries',
    source: IPMITOOL_DRIVER,
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: 'RedfishOutOfBandManagementDriver',
    defaultValue: 'false',
    description: 'If true, ignores SSL certificates for the Redfish client.',
    isDynamic: true,
    name: 'redfish.ignore.ssl',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'RedfishOutOfBandManagementDriver',
    defaultValue: 'true',
    description: 'Use HTTPS/SSL for all connections.',
    isDynamic: true,
    name: 'redfish.use.https',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'RedfishOutOfBandManagementDriver',
    defaultValue: '2',
    description: 'Number of retries allowed if a Redfish REST request experiment connection issues.',
    isDynamic: true,
    name: 'redfish.retries',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: 'CapacityManager',
    defaultValue: '1.0',
    description:
      'Used for CPU overprovisioning calculation; available CPU will be (actualCpuCapacity * cpu.overprovisioning.factor)',
    isDynamic: true,
    name: 'cpu.overprovisioning.factor',
    scopes: ['cluster'],
    type: 'Float',
  }),
  def({
    category: 'Advanced',
    component: 'CapacityManager',
    defaultValue: '1.0',
    description: 'Used for memory overprovisioning calculation',
    isDynamic: true,
    name: 'mem.overprovisioning.factor',
    scopes: ['cluster'],
    type: 'Float',
  }),
  def({
    category: 'Storage',
    component: 'CapacityManager',
    defaultValue: '2',
    description:
      'Used for storage overprovisioning calculation; available storage will be (actualStorageSize * storage.overprovisioning.factor)',
    isDynamic: true,
    name: 'storage.overprovisioning.factor',
    scopes: ['storagepool'],
    type: 'Float',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'root',
    description:
      'The CA provider plugin that is used for secure CloudStack management server-agent communication for encryption and authentication. Restart management server(s) when changed.',
    isDynamic: true,
    name: 'ca.framework.provider.plugin',
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: '2048',
    description: 'The key size to be used for random certificate keypair generation.',
    isDynamic: true,
    name: 'ca.framework.cert.keysize',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'SHA256withRSA',
    description: 'The default signature algorithm to use for certificate generation.',
    isDynamic: true,
    name: 'ca.framework.cert.signature.algorithm',
    options: 'SHA256withRSA',
    type: 'Select',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: '365',
    description:
      'The validity period of a client certificate in number of days. Set the value to be more than the expiry alert period.',
    isDynamic: true,
    name: 'ca.framework.cert.validity.period',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'true',
    description:
      'Enable automatic renewal and provisioning of certificate to agents as supported by the configured CA plugin.',
    isDynamic: true,
    name: 'ca.framework.cert.automatic.renewal',
    scopes: ['cluster'],
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'false',
    description: "Allow hypervisor host's IP to be a part of a system VM's agent cert",
    isDynamic: true,
    name: 'ca.framework.cert.systemvm.allow.host.ip',
    scopes: ['zone'],
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: '3600',
    description:
      'The CA framework background task delay in seconds. Background task runs expiry checks and renews certificate if auto-renewal is enabled.',
    isDynamic: false,
    name: 'ca.framework.background.task.delay',
    type: 'Long',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: '15',
    description:
      'The number of days before expiry of a client certificate, the validations are checked. Admins are alerted when auto-renewal is not allowed, otherwise auto-renewal is attempted.',
    isDynamic: true,
    name: 'ca.framework.cert.expiry.alert.period',
    scopes: ['cluster'],
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'cloudstack.internal',
    description:
      'The custom Subject Alternative Name that will be added to the management server certificate. The actual implementation will depend on the configured CA provider.',
    isDynamic: false,
    name: 'ca.framework.cert.management.custom.san',
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: 'RootCAProvider',
    defaultValue: 'CN=ca.cloudstack.apache.org',
    description: 'The ROOT CA issuer distinguished name.',
    isDynamic: true,
    name: 'ca.plugin.root.issuer.dn',
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: 'RootCAProvider',
    defaultValue: 'false',
    description:
      'Set client authentication strictness, setting to true will enforce and require client certificate for authentication in applicable CA providers.',
    isDynamic: true,
    name: 'ca.plugin.root.auth.strictness',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'RootCAProvider',
    defaultValue: 'true',
    description: 'When set to true, it will allow expired client certificate during SSL handshake.',
    isDynamic: true,
    name: 'ca.plugin.root.allow.expired.cert',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description:
      'Enable/Disable whether the ApiServer should only accept POST requests for state-changing APIs and requests with timestamps.',
    isDynamic: true,
    name: 'enforce.post.requests.and.timestamps',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'CookieAndParameter',
    description:
      'The locations of the sessionkey to check. Valid values: CookieOrParameter, ParameterOnly, CookieAndParameter',
    isDynamic: true,
    name: 'api.sessionkey.check.locations',
    options: 'CookieOrParameter,ParameterOnly,CookieAndParameter',
    type: 'Select',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'Lax',
    description:
      'The SameSite attribute of cookie sessionkey. Valid values: Lax, Strict, NoneAndSecure and Null',
    isDynamic: true,
    name: 'api.sessionkey.cookie.samesite',
    options: 'Lax,Strict,NoneAndSecure,Null',
    type: 'Select',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description:
      'Session cookie is marked as secure if this is enabled. Secure cookies only work when HTTPS is used.',
    isDynamic: false,
    name: 'enable.secure.session.cookie',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    defaultValue: '0',
    description: 'Integration (unauthenticated) port for the API server',
    isDynamic: false,
    name: 'integration.api.port',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: 'ApiRateLimitService',
    defaultValue: 'false',
    description: 'Enable/disable Api rate limit',
    isDynamic: true,
    name: 'api.throttling.enabled',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'ApiRateLimitService',
    defaultValue: '1',
    description: 'Time interval (in seconds) to reset API count',
    isDynamic: true,
    name: 'api.throttling.interval',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: 'ApiRateLimitService',
    defaultValue: '25',
    description: 'Max allowed number of APIs within fixed interval',
    isDynamic: true,
    name: 'api.throttling.max',
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description: 'Set host down to maintenance.',
    isDynamic: false,
    name: 'set.host.down.to.maintenance',
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'ResourceManager',
    defaultValue: 'Error',
    description:
      "Defines the strategy towards VMs with volumes on local storage when putting a host in maintenance. The default strategy is 'Error', preventing maintenance in such a case. Choose 'Migration' strategy to migrate away VMs running on local storage. To force-stop VMs, choose 'ForceStop' strategy",
    isDynamic: true,
    name: 'host.maintenance.local.storage.strategy',
    type: 'String',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'true',
    description:
      'Indicates whether the VM can be migrated to different cluster if no host is found in same cluster',
    isDynamic: true,
    name: 'migrate.vm.across.clusters',
    scopes: ['zone'],
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'ResourceManager',
    defaultValue: 'false',
    description:
      '(KVM only) Enable Auto Disable/Enable KVM hosts in the cluster according to the hosts health check results',
    isDynamic: true,
    name: 'enable.kvm.host.auto.enable.disable',
    scopes: ['cluster'],
    type: 'Boolean',
  }),
  def({
    category: 'Alert',
    defaultValue: '0.85',
    description:
      'Percentage (as a value between 0 and 1) of cpu utilization above which allocators will disable using the cluster for low cpu available. Keep the corresponding notification threshold lower than this to be notified beforehand.',
    isDynamic: true,
    name: 'cluster.cpu.allocated.capacity.disablethreshold',
    scopes: ['cluster'],
    type: 'Float',
  }),
  def({
    category: 'Alert',
    defaultValue: '0.85',
    description:
      'Percentage (as a value between 0 and 1) of memory utilization above which allocators will disable using the cluster for low memory available. Keep the corresponding notification threshold lower than this to be notified beforehand.',
    isDynamic: true,
    name: 'cluster.memory.allocated.capacity.disablethreshold',
    scopes: ['cluster'],
    type: 'Float',
  }),
  def({
    category: 'Alert',
    defaultValue: '0.75',
    description:
      'Percentage (as a value between 0 and 1) of cpu utilization above which alerts will be sent about low cpu available.',
    isDynamic: true,
    name: 'cluster.cpu.allocated.capacity.notificationthreshold',
    scopes: ['cluster'],
    type: 'Float',
  }),
  def({
    category: 'Alert',
    defaultValue: '0.75',
    description:
      'Percentage (as a value between 0 and 1) of memory utilization above which alerts will be sent about low memory available.',
    isDynamic: true,
    name: 'cluster.memory.allocated.capacity.notificationthreshold',
    scopes: ['cluster'],
    type: 'Float',
  }),
  def({
    category: 'Project Defaults',
    defaultValue: 'true',
    description: 'If regular user can create a project; true by default',
    isDynamic: false,
    name: 'allow.user.create.projects',
    type: 'Boolean',
  }),
]
