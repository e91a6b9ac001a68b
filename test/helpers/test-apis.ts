import {defineApi, SimApiError} from '../../src/sim/catalog/registry.js'

/**
 * A test-only asynchronous command for the simulator: works for `seconds` simulated seconds and
 * succeeds with `{success: true, details}`, or fails with the server's job-failure shape when
 * `fail=true`. It lets the client's job handling be tested apart from any real command.
 */
export const simulateWorkApi = defineApi({
  description: 'Test only: an asynchronous job that takes a while.',
  handler({clock, jobs, params}) {
    if (params.seconds !== undefined && params.seconds < 0)
      throw SimApiError.invalidParameter('seconds must not be negative')
    return jobs.submit({
      async run() {
        await clock.sleep((params.seconds ?? 1) * 1000)
        if (params.fail) throw SimApiError.internal(`Work failed: ${params.message ?? 'as asked'}`)
        return {details: params.message ?? 'done', success: true}
      },
    })
  },
  isasync: true,
  name: 'simulateWork',
  params: [
    {description: 'simulated seconds the job takes', name: 'seconds', type: 'integer'},
    {description: 'fail the job', name: 'fail', type: 'boolean'},
    {description: 'text of the result', name: 'message', type: 'string'},
    {description: 'a secret that must never be logged', name: 'password', type: 'string'},
  ],
})
