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
  /**
   * The upstream file (apache/cloudstack) declaring the ConfigKey (or the Config enum entry) that
   * name, type, default, scope, category, description and dynamic flag were taken from.
   */
  source: string
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

/* The upstream files declaring these settings (apache/cloudstack). */
const CONFIG_ENUM = 'server/src/main/java/com/cloud/configuration/Config.java'
const ROLLING_MAINTENANCE = 'api/src/main/java/com/cloud/resource/RollingMaintenanceManager.java'
const REDFISH_DRIVER =
  'plugins/outofbandmanagement-drivers/redfish/src/main/java/org/apache/cloudstack/outofbandmanagement/driver/redfish/RedfishOutOfBandManagementDriver.java'
const CAPACITY_MANAGER = 'engine/components-api/src/main/java/com/cloud/capacity/CapacityManager.java'
const CA_MANAGER = 'api/src/main/java/org/apache/cloudstack/ca/CAManager.java'
const ROOT_CA_PROVIDER =
  'plugins/ca/root-ca/src/main/java/org/apache/cloudstack/ca/provider/RootCAProvider.java'
const API_SERVER = 'server/src/main/java/com/cloud/api/ApiServer.java'
const MANAGEMENT_SERVER = 'server/src/main/java/com/cloud/server/ManagementServer.java'
const CONFIGURATION_MANAGER = 'server/src/main/java/com/cloud/configuration/ConfigurationManagerImpl.java'
const RESOURCE_MANAGER = 'engine/components-api/src/main/java/com/cloud/resource/ResourceManager.java'
const AGENT_MANAGER = 'engine/components-api/src/main/java/com/cloud/agent/AgentManager.java'
const CLUSTER_PLANNER = 'api/src/main/java/com/cloud/deploy/DeploymentClusterPlanner.java'
const ALERT_MANAGER = 'engine/components-api/src/main/java/com/cloud/alert/AlertManager.java'

export const SETTING_DEFINITIONS: SettingDefinition[] = [
  def({
    category: 'Advanced',
    defaultValue: '500',
    description: 'Default page size for API list* commands',
    isDynamic: false,
    name: 'default.page.size',
    source: CONFIG_ENUM,
    type: 'Long',
  }),
  def({
    category: 'Advanced',
    component: 'KVMInvestigator',
    defaultValue: '1800',
    description: 'Wait timeout (in seconds) for a rolling maintenance stage update from hosts',
    isDynamic: true,
    name: 'kvm.rolling.maintenance.stage.timeout',
    source: ROLLING_MAINTENANCE,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    defaultValue: '10',
    description:
      'Ping interval in seconds between management server and hosts performing stages during rolling maintenance',
    isDynamic: true,
    name: 'kvm.rolling.maintenance.ping.interval',
    source: ROLLING_MAINTENANCE,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    defaultValue: '1800',
    description: 'Timeout (in seconds) to wait for a host preparing to enter maintenance mode',
    isDynamic: true,
    name: 'kvm.rolling.maintenance.wait.maintenance.timeout',
    source: ROLLING_MAINTENANCE,
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
    description:
      'Default value is false, ensuring that the client requests validate the certificate when using SSL. If set to true the redfish client will ignore SSL certificate validation when sending requests to a Redfish server.',
    isDynamic: true,
    name: 'redfish.ignore.ssl',
    source: REDFISH_DRIVER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'RedfishOutOfBandManagementDriver',
    defaultValue: 'true',
    description: 'Use HTTPS/SSL for all connections.',
    isDynamic: true,
    name: 'redfish.use.https',
    source: REDFISH_DRIVER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'RedfishOutOfBandManagementDriver',
    defaultValue: '2',
    description:
      'Number of retries allowed if a Redfish REST request experiment connection issues. If set to 0 (zero) there will be no retries.',
    isDynamic: true,
    name: 'redfish.retries',
    source: REDFISH_DRIVER,
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
    source: CAPACITY_MANAGER,
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
    source: CAPACITY_MANAGER,
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
    source: CAPACITY_MANAGER,
    scopes: ['storagepool'],
    type: 'Double',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'root',
    description:
      'The CA provider plugin that is used for secure CloudStack management server-agent communication for encryption and authentication. Restart management server(s) when changed.',
    isDynamic: true,
    name: 'ca.framework.provider.plugin',
    source: CA_MANAGER,
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: '2048',
    description: 'The key size to be used for random certificate keypair generation.',
    isDynamic: true,
    name: 'ca.framework.cert.keysize',
    source: CA_MANAGER,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: 'SHA256withRSA',
    description: 'The default signature algorithm to use for certificate generation.',
    isDynamic: true,
    name: 'ca.framework.cert.signature.algorithm',
    source: CA_MANAGER,
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
    source: CA_MANAGER,
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
    source: CA_MANAGER,
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
    source: CA_MANAGER,
    scopes: ['zone'],
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: CA,
    defaultValue: '3600',
    description:
      'The CA framework background task delay in seconds. Background task runs expiry checks and renews certificate if auto-renewal is enabled.',
    isDynamic: true,
    name: 'ca.framework.background.task.delay',
    source: CA_MANAGER,
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
    source: CA_MANAGER,
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
    source: CA_MANAGER,
    type: 'String',
  }),
  def({
    category: 'Advanced',
    component: 'RootCAProvider',
    defaultValue: 'CN=ca.cloudstack.apache.org',
    description: 'The ROOT CA issuer distinguished name.',
    isDynamic: true,
    name: 'ca.plugin.root.issuer.dn',
    source: ROOT_CA_PROVIDER,
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
    source: ROOT_CA_PROVIDER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'RootCAProvider',
    defaultValue: 'true',
    description: 'When set to true, it will allow expired client certificate during SSL handshake.',
    isDynamic: true,
    name: 'ca.plugin.root.allow.expired.cert',
    source: ROOT_CA_PROVIDER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description:
      'Enable/Disable whether the ApiServer should only accept POST requests for state-changing APIs and requests with timestamps.',
    isDynamic: false,
    name: 'enforce.post.requests.and.timestamps',
    source: API_SERVER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'CookieAndParameter',
    description:
      "The locations of 'sessionkey' during the validation of the API requests. Valid options are: CookieOrParameter, ParameterOnly, CookieAndParameter (default).",
    isDynamic: true,
    name: 'api.sessionkey.check.locations',
    source: API_SERVER,
    options: 'CookieOrParameter, ParameterOnly, CookieAndParameter',
    type: 'Select',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'Lax',
    description:
      "The SameSite attribute of cookie 'sessionkey'. Valid options are: Lax (default), Strict, NoneAndSecure and Null.",
    isDynamic: true,
    name: 'api.sessionkey.cookie.samesite',
    source: API_SERVER,
    options: 'Lax, Strict, NoneAndSecure, Null',
    type: 'Select',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description:
      'Session cookie is marked as secure if this is enabled. Secure cookies only work when HTTPS is used.',
    isDynamic: false,
    name: 'enable.secure.session.cookie',
    source: API_SERVER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    defaultValue: '0',
    description: 'Integration (unauthenticated) API port. To disable set it to 0 or negative.',
    isDynamic: false,
    name: 'integration.api.port',
    source: API_SERVER,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: 'ApiRateLimitService',
    defaultValue: 'false',
    description: 'Enable/disable Api rate limit',
    isDynamic: true,
    name: 'api.throttling.enabled',
    source: MANAGEMENT_SERVER,
    type: 'Boolean',
  }),
  def({
    category: 'Advanced',
    component: 'ApiRateLimitService',
    defaultValue: '1',
    description: 'Time interval (in seconds) to reset API count',
    isDynamic: true,
    name: 'api.throttling.interval',
    source: MANAGEMENT_SERVER,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    component: 'ApiRateLimitService',
    defaultValue: '25',
    description: 'Max allowed number of APIs within fixed interval',
    isDynamic: true,
    name: 'api.throttling.max',
    source: MANAGEMENT_SERVER,
    type: 'Integer',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description:
      'Indicates whether the host in down state can be put into maintenance state so thats its not enabled after it comes back.',
    isDynamic: true,
    name: 'set.host.down.to.maintenance',
    source: CONFIGURATION_MANAGER,
    scopes: ['zone'],
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
    source: RESOURCE_MANAGER,
    options: 'Error,Migration,ForceStop',
    type: 'Select',
  }),
  def({
    category: 'Advanced',
    defaultValue: 'false',
    description:
      'Indicates whether the VM can be migrated to different cluster if no host is found in same cluster',
    isDynamic: true,
    name: 'migrate.vm.across.clusters',
    source: CONFIGURATION_MANAGER,
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
    source: AGENT_MANAGER,
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
    source: CLUSTER_PLANNER,
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
    source: CLUSTER_PLANNER,
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
    source: ALERT_MANAGER,
    scopes: ['cluster'],
    type: 'Double',
  }),
  def({
    category: 'Alert',
    defaultValue: '0.75',
    description:
      'Percentage (as a value between 0 and 1) of memory utilization above which alerts will be sent about low memory available.',
    isDynamic: true,
    name: 'cluster.memory.allocated.capacity.notificationthreshold',
    source: ALERT_MANAGER,
    scopes: ['cluster'],
    type: 'Double',
  }),
  def({
    category: 'Project Defaults',
    defaultValue: 'true',
    description: 'If regular user can create a project; true by default',
    isDynamic: false,
    name: 'allow.user.create.projects',
    source: CONFIG_ENUM,
    type: 'Boolean',
  }),
]
