import type {SimModel} from '../state/model.js'

import {issueFromCa, readCsr, simulatorCa, splitNames} from '../behaviour/certificate-authority.js'
import {hostIdParam, nameParam} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {formatApiDate} from '../state/format.js'

/*
 * The CA framework (CAManagerImpl with the root CA provider): listCAProviders, listCaCertificate,
 * issueCertificate and provisionCertificate. The CA itself is made on first use and kept in the
 * model (so a --state file keeps it across restarts).
 */

const ROOT_PROVIDER = {name: 'root', description: "CloudStack's Root CA provider plugin"}
const DAY_MS = 86_400_000
const PROVIDER_DESCRIPTION =
  'Name of the CA service provider, otherwise the default configured provider plugin will be used'

/** What a non-KVM agent's unsupported answer to SetupKeyStoreCommand turns into (inferred). */
export const UNSUPPORTED_AGENT_TEXT =
  'class com.cloud.agent.api.UnsupportedAnswer cannot be cast to class org.apache.cloudstack.ca.SetupKeystoreAnswer'

/** CAManagerImpl.getCAProvider: the named provider, else the configured one. */
function checkProvider(model: SimModel, provider: string | undefined): void {
  if (provider) {
    const name = provider.toLowerCase()
    if (name !== ROOT_PROVIDER.name) throw SimApiError.internal(`CA provider plugin '${name}' not found`)
    return
  }

  if (model.setting('ca.framework.provider.plugin').toLowerCase() !== ROOT_PROVIDER.name) {
    throw SimApiError.internal('Failed to find default configured CA provider plugin')
  }
}

function validityDays(model: SimModel): number {
  return Math.max(1, model.settingNumber('ca.framework.cert.validity.period') || 365)
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

export const listCAProvidersApi = defineApi({
  description: 'Lists available certificate authority providers in CloudStack',
  handler({params}) {
    const providers = [ROOT_PROVIDER].filter((p) => !params.name || p.name === params.name.toLowerCase())
    return providers.length === 0 ? {} : {count: providers.length, caprovider: providers}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.ca.ListCAProvidersCmd',
  name: 'listCAProviders',
  params: [nameParam('List CA service provider by name')],
  response: responseFields(
    'CA provider',
    'description:string name:string',
    {},
    {description: 'the description of the CA service provider', name: 'the CA service provider name'},
  ),
  since: '4.11.0',
})

export const listCaCertificateApi = defineApi({
  description: 'Lists the CA public certificate(s) as support by the configured/provided CA plugin',
  async handler({model, params}) {
    checkProvider(model, params.provider)
    const ca = await simulatorCa(model)
    return {cacertificates: {certificate: ca.certificatePem}}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.ca.ListCaCertificateCmd',
  name: 'listCaCertificate',
  params: [{description: PROVIDER_DESCRIPTION, name: 'provider', type: 'string'}],
  response: responseFields('certificate', 'cacertificates:string certificate:string privatekey:string'),
  since: '4.11.0',
})

export const issueCertificateApi = defineApi({
  description: 'Issues a client certificate using configured or provided CA plugin',
  handler({clock, jobs, model, params}) {
    return jobs.submit({
      async run() {
        checkProvider(model, params.provider)
        const domains = commaList(params.domain)
        if (!params.csr && domains.length === 0) {
          throw new SimApiError(431, 'Please provide the domains or the CSR, none of them are provided')
        }

        const csr = params.csr
          ? await readCsr(params.csr).catch((error: unknown) => {
              throw SimApiError.internal(`Failed to read the CSR: ${(error as Error).message}`)
            })
          : undefined
        const names = splitNames([...domains, ...commaList(params.ipaddress)])
        const now = clock.now()
        const days = params.duration && params.duration > 0 ? params.duration : validityDays(model)
        const ca = await simulatorCa(model)
        const issued = await issueFromCa(ca, {
          commonName: csr?.commonName ?? domains[0],
          ...names,
          notAfter: new Date(now.getTime() + days * DAY_MS),
          notBefore: new Date(now.getTime() - 60_000),
          publicKeyPem: csr?.publicKeyPem,
        })
        return {
          certificates: {
            certificate: issued.certificatePem,
            privatekey: issued.privateKeyPem,
            cacertificates: ca.certificatePem,
          },
        }
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.ca.IssueCertificateCmd',
  name: 'issueCertificate',
  params: [
    {
      description:
        'The certificate signing request (in pem format), if CSR is not provided then configured/provided options are considered',
      length: 65_535,
      name: 'csr',
      type: 'string',
    },
    {
      description:
        'Comma separated list of domains, the certificate should be issued for. When csr is not provided, the first domain is used as a subject/CN',
      name: 'domain',
      type: 'string',
    },
    {
      description:
        'Certificate validity duration in number of days, when not provided the default configured value will be used',
      name: 'duration',
      type: 'integer',
    },
    {
      description: 'Comma separated list of IP addresses, the certificate should be issued for',
      name: 'ipaddress',
      type: 'string',
    },
    {description: PROVIDER_DESCRIPTION, name: 'provider', type: 'string'},
  ],
  response: responseFields('certificate', 'cacertificates:string certificate:string privatekey:string'),
  since: '4.11.0',
})

export const provisionCertificateApi = defineApi({
  description:
    'Issues and propagates client certificate on a connected host/agent using configured CA plugin',
  handler({clock, jobs, model, params}) {
    const host = model.hosts.get(params.hostid)!
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      async run() {
        checkProvider(model, params.provider)
        // The manager asks the agent for a keystore and CSR first (SetupKeyStoreCommand).
        if (host.status !== 'Up') {
          throw SimApiError.internal(
            `Failed to generate keystore and get CSR from the host/agent id=${host.internalId}`,
          )
        }

        if (host.hypervisor !== 'KVM') throw SimApiError.internal(UNSUPPORTED_AGENT_TEXT)
        await clock.sleep(3000)
        // keystore-setup failed on the agent: no CSR, and the answer is a plain `success: false`.
        if (host.certificateSetupFails) return {success: false}
        await simulatorCa(model)
        const now = clock.now()
        // keystore-cert-import on the agent, which restarts libvirtd and the agent.
        await clock.sleep(4000)
        host.certificate = {
          notAfter: formatApiDate(now.getTime() + validityDays(model) * DAY_MS),
          notBefore: formatApiDate(now),
          provider: params.provider?.toLowerCase() ?? model.setting('ca.framework.provider.plugin'),
          serial: model.newId('certificate').replaceAll('-', ''),
        }
        host.details.secured = 'true'
        if (params.reconnect) {
          host.status = 'Connecting'
          await clock.sleep(5000)
          host.status = 'Up'
        }

        return {success: true}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.ca.ProvisionCertificateCmd',
  name: 'provisionCertificate',
  params: [
    hostIdParam(
      'The host/agent uuid to which the certificate has to be provisioned (issued and propagated)',
      {required: true},
    ),
    {description: PROVIDER_DESCRIPTION, name: 'provider', type: 'string'},
    {
      description:
        'Whether to attempt reconnection with host/agent after successful deployment of certificate. When option is not provided, configured global setting is used',
      name: 'reconnect',
      type: 'boolean',
    },
  ],
  response: responseFields('success', 'displaytext:string success:boolean'),
  since: '4.11.0',
})

export const caApis: RegisteredApi[] = [
  listCAProvidersApi,
  listCaCertificateApi,
  issueCertificateApi,
  provisionCertificateApi,
]
