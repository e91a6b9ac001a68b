/**
 * Every API command moldctl's commands call, with what needs it. `moldctl doctor` checks them
 * against the server's listApis; test/lib/required-apis.test.ts keeps this list in step with the
 * calls in src/ (add a line here when a command starts calling a new API).
 */
export const REQUIRED_APIS: Readonly<Record<string, string>> = {
  getUser: 'doctor (who the API key belongs to)',
  listApis: 'api (explaining unknown commands), doctor',
  listAsyncJobs: 'job list',
  listCAProviders: 'ca providers',
  listCaCertificate: 'ca certificate',
  listCapabilities: 'doctor (authentication and server version)',
  listClusters: 'cluster list, --cluster options',
  listConfigurations: 'doctor (CA settings)',
  listHosts: 'host list, host show and every host argument',
  listPods: 'pod list, --pod options',
  listUsers: 'doctor (who a login belongs to)',
  listZones: 'zone list, --zone options',
  provisionCertificate: 'host cert provision',
  queryAsyncJobResult: 'job wait, job show and every command that waits for a job',
}
