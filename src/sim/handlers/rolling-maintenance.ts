import {
  rollingScopeOf,
  runRollingMaintenance,
  STAGE_TIMEOUT_SETTING,
} from '../behaviour/rolling-maintenance.js'
import {defineApi, type RegisteredApi, responseFields} from '../catalog/registry.js'

/* startRollingMaintenance (StartRollingMaintenanceCmd): async, KVM only, result in a successful job. */

export const startRollingMaintenanceApi = defineApi({
  description: 'Start rolling maintenance',
  handler({clock, jobs, model, params}) {
    // getEventDescription resolves the scope before the job is queued: no scope is a 530 at once.
    const scope = rollingScopeOf(params)
    const timeout = params.timeout ?? model.settingNumber(STAGE_TIMEOUT_SETTING)
    return jobs.submit({
      async run() {
        const result = await runRollingMaintenance(model, clock, {
          forced: params.forced ?? false,
          ids: scope.ids,
          payload: params.payload,
          timeout,
          type: scope.type,
        })
        return {rollingmaintenance: result}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.resource.StartRollingMaintenanceCmd',
  name: 'startRollingMaintenance',
  params: [
    {
      collectionType: 'uuid',
      description: 'the IDs of the clusters to start maintenance on',
      entity: 'cluster',
      name: 'clusterids',
      type: 'list',
    },
    {
      description: 'if rolling mechanism should continue in case of an error',
      name: 'forced',
      type: 'boolean',
    },
    {
      collectionType: 'uuid',
      description: 'the IDs of the hosts to start maintenance on',
      entity: 'host',
      name: 'hostids',
      type: 'list',
    },
    {description: 'the command to execute while hosts are on maintenance', name: 'payload', type: 'string'},
    {
      collectionType: 'uuid',
      description: 'the IDs of the pods to start maintenance on',
      entity: 'pod',
      name: 'podids',
      type: 'list',
    },
    {
      description: 'optional operation timeout (in seconds) that overrides the global timeout setting',
      name: 'timeout',
      type: 'integer',
    },
    {
      collectionType: 'uuid',
      description: 'the IDs of the zones to start maintenance on',
      entity: 'zone',
      name: 'zoneids',
      type: 'list',
    },
  ],
  response: responseFields(
    'rolling maintenance',
    'details:string hostsskipped:list hostsupdated:list jobid:string jobstatus:integer success:boolean',
    {
      hostsskipped: responseFields('skipped host', 'hostid:string hostname:string reason:string'),
      hostsupdated: responseFields(
        'updated host',
        'enddate:string hostid:string hostname:string output:string startdate:string',
      ),
    },
  ),
})

export const rollingMaintenanceApis: RegisteredApi[] = [startRollingMaintenanceApi]
