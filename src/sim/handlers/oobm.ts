import type {Host, OobmDriver, SimModel} from '../state/model.js'

import {
  changeBmcPassword,
  configResponse,
  DRIVERS,
  powerAction,
  setHostEnabled,
  setScopeEnabled,
  trackSubmitted,
} from '../behaviour/bmc.js'
import {clusterIdParam, hostIdParam, zoneIdParam} from '../catalog/params.js'
import {defineApi, type RegisteredApi, type ResponseField, SimApiError} from '../catalog/registry.js'

/*
 * Out-of-band management commands (OutOfBandManagementServiceImpl): configuration per host,
 * enablement at zone, cluster and host level, power actions and password changes. The BMCs, the
 * power state machine and the poller are in behaviour/bmc.ts.
 */

const JAVA_PACKAGE = 'org.apache.cloudstack.api.command.admin.outofbandmanagement'

const RESPONSE_FIELDS: ResponseField[] = [
  {description: 'the out-of-band management action (if issued)', name: 'action', type: 'string'},
  {description: 'the out-of-band management interface address', name: 'address', type: 'string'},
  {description: 'the operation result description', name: 'description', type: 'string'},
  {description: 'the out-of-band management driver for the host', name: 'driver', type: 'string'},
  {description: 'true if out-of-band management is enabled for the host', name: 'enabled', type: 'boolean'},
  {description: 'the ID of the host', name: 'hostid', type: 'string'},
  {description: 'the out-of-band management interface password', name: 'password', type: 'string'},
  {description: 'the out-of-band management interface port', name: 'port', type: 'string'},
  {
    description: 'the out-of-band management interface powerState of the host',
    name: 'powerstate',
    type: 'powerstate',
  },
  {description: 'the operation result', name: 'status', type: 'boolean'},
  {description: 'the out-of-band management interface username', name: 'username', type: 'string'},
]

const HOST_ID_PARAM = hostIdParam('the ID of the host', {required: true})

function hostOf(model: SimModel, id: string): Host {
  const host = model.hosts.get(id)
  if (!host) throw SimApiError.paramError(`Unable to find host by ID: ${id}`)
  return host
}

function hostEnablementApi(enabled: boolean): RegisteredApi {
  const verb = enabled ? 'Enable' : 'Disable'
  return defineApi({
    description: `${verb}s out-of-band management for a host`,
    handler({clock, jobs, model, params}) {
      return jobs.submitFor('Host', hostOf(model, params.hostid), (host) =>
        setHostEnabled(model, clock, host, enabled),
      )
    },
    isasync: true,
    javaClass: `${JAVA_PACKAGE}.${verb}OutOfBandManagementForHostCmd`,
    name: `${verb.toLowerCase()}OutOfBandManagementForHost`,
    params: [HOST_ID_PARAM],
    response: RESPONSE_FIELDS,
    since: '4.9.0',
  })
}

function clusterEnablementApi(enabled: boolean): RegisteredApi {
  const verb = enabled ? 'Enable' : 'Disable'
  return defineApi({
    description: `${verb}s out-of-band management for a cluster`,
    handler({clock, jobs, model, params}) {
      const cluster = model.clusters.get(params.clusterid)!
      return jobs.submit({
        instanceId: cluster.id,
        instanceType: 'Cluster',
        run: () => setScopeEnabled({clock, model}, cluster, model.hostsInCluster(cluster.id), enabled),
      })
    },
    isasync: true,
    javaClass: `${JAVA_PACKAGE}.${verb}OutOfBandManagementForClusterCmd`,
    name: `${verb.toLowerCase()}OutOfBandManagementForCluster`,
    params: [clusterIdParam('the ID of the cluster', {required: true})],
    response: RESPONSE_FIELDS,
    since: '4.9.0',
  })
}

function zoneEnablementApi(enabled: boolean): RegisteredApi {
  const verb = enabled ? 'Enable' : 'Disable'
  return defineApi({
    description: `${verb}s out-of-band management for a zone`,
    handler({clock, jobs, model, params}) {
      const zone = model.zones.get(params.zoneid)!
      return jobs.submit({
        instanceId: zone.id,
        instanceType: 'Zone',
        run: () =>
          setScopeEnabled(
            {clock, model},
            zone,
            model.state.hosts.filter((h) => h.zoneId === zone.id),
            enabled,
          ),
      })
    },
    isasync: true,
    javaClass: `${JAVA_PACKAGE}.${verb}OutOfBandManagementForZoneCmd`,
    name: `${verb.toLowerCase()}OutOfBandManagementForZone`,
    params: [zoneIdParam('the ID of the zone', {required: true})],
    response: RESPONSE_FIELDS,
    since: '4.9.0',
  })
}

const configureOutOfBandManagement = defineApi({
  description: "Configures a host's out-of-band management interface",
  handler({flavor, model, params}) {
    const host = hostOf(model, params.hostid)
    // Mold's manageconsoleprotocol is required there (the parameter check refused its absence).
    const protocol = params.manageconsoleprotocol

    if (!DRIVERS.has(params.driver.toLowerCase())) {
      throw SimApiError.internal(
        'Out-of-band management driver is not available. Please provide a valid driver name.',
      )
    }

    // The server stores the driver as given; power actions then look it up verbatim.
    const existing = host.oobm
    host.oobm = {
      address: params.address,
      driver: params.driver as OobmDriver,
      enabled: existing?.enabled ?? false,
      password: params.password,
      port: params.port,
      powerState: existing?.powerState ?? 'Disabled',
      username: params.username,
    }
    if (flavor === 'mold') {
      host.details.manageconsoleprotocol = protocol!
      host.details.manageconsoleport = params.manageconsoleport || (protocol === 'http' ? '80' : '443')
    }

    return {
      outofbandmanagement: {
        ...configResponse(host, host.oobm),
        description: 'Out-of-band management successfully configured for the host',
        status: true,
      },
    }
  },
  isasync: false,
  javaClass: `${JAVA_PACKAGE}.ConfigureOutOfBandManagementCmd`,
  name: 'configureOutOfBandManagement',
  params: [
    {
      description: 'the host management interface IP address',
      name: 'address',
      required: true,
      type: 'string',
    },
    {
      description: 'the host management interface driver, for example: ipmitool',
      name: 'driver',
      required: true,
      type: 'string',
    },
    HOST_ID_PARAM,
    /*
     * Mold's additions (ablecloud-team/ablestack-cloud, ConfigureOutOfBandManagementCmd.java):
     * declared, and so listed by listApis, only on the mold flavor.
     */
    {
      description: 'the host management interface management console port',
      flavor: 'mold',
      name: 'manageconsoleport',
      type: 'string',
    },
    {
      description: 'the host management interface management console protocol',
      flavor: 'mold',
      name: 'manageconsoleprotocol',
      required: true,
      type: 'string',
    },
    {description: 'the host management interface password', name: 'password', required: true, type: 'string'},
    {description: 'the host management interface port', name: 'port', required: true, type: 'string'},
    {description: 'the host management interface user', name: 'username', required: true, type: 'string'},
  ],
  response: RESPONSE_FIELDS,
  since: '4.9.0',
})

const issueOutOfBandManagementPowerAction = defineApi({
  description: "Initiates the specified power action to the host's out-of-band management interface",
  handler({clock, jobs, model, params}) {
    const body = jobs.submitFor('Host', hostOf(model, params.hostid), (host) =>
      powerAction({clock, model}, host, params.action, params.timeout),
    )
    trackSubmitted(model, String(body.jobid))
    return body
  },
  isasync: true,
  javaClass: `${JAVA_PACKAGE}.IssueOutOfBandManagementPowerActionCmd`,
  name: 'issueOutOfBandManagementPowerAction',
  params: [
    {
      description:
        'out-of-band management power actions, valid actions are: ON, OFF, CYCLE, RESET, SOFT, STATUS',
      name: 'action',
      required: true,
      type: 'string',
    },
    HOST_ID_PARAM,
    {
      description:
        'optional operation timeout in seconds that overrides the global or cluster-level out-of-band management timeout setting',
      name: 'timeout',
      type: 'long',
    },
  ],
  response: RESPONSE_FIELDS,
  since: '4.9.0',
})

const changeOutOfBandManagementPassword = defineApi({
  description:
    'Changes out-of-band management interface password on the host and updates the interface configuration in CloudStack if the operation succeeds, else reverts the old password',
  handler({clock, jobs, model, params}) {
    return jobs.submitFor('Host', hostOf(model, params.hostid), (host) =>
      changeBmcPassword({clock, model}, host, params.password),
    )
  },
  isasync: true,
  javaClass: `${JAVA_PACKAGE}.ChangeOutOfBandManagementPasswordCmd`,
  name: 'changeOutOfBandManagementPassword',
  params: [
    HOST_ID_PARAM,
    {
      description:
        'the new host management interface password of maximum length 16, if none is provided a random password would be used',
      name: 'password',
      type: 'string',
    },
  ],
  response: RESPONSE_FIELDS,
  since: '4.9.0',
})

export const oobmApis: RegisteredApi[] = [
  configureOutOfBandManagement,
  hostEnablementApi(true),
  hostEnablementApi(false),
  clusterEnablementApi(true),
  clusterEnablementApi(false),
  zoneEnablementApi(true),
  zoneEnablementApi(false),
  issueOutOfBandManagementPowerAction,
  changeOutOfBandManagementPassword,
]
