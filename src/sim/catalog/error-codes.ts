/*
 * Where the simulator's error codes come from. An error answer carries the HTTP status
 * (`errorcode`, upstream's ApiErrorCode) and `cserrorcode`, which upstream's
 * CSExceptionErrorCode maps from the class of the exception thrown on that path. The table of
 * paths below names the upstream source file that throws each one; test/sim/catalog/error-codes.test.ts
 * drives every row against the simulator.
 */

/** utils/src/main/java/com/cloud/utils/exception/CSExceptionErrorCode.java (the ones used here). */
export const CS_ERROR_CODE = {
  CloudRuntimeException: 4250,
  InsufficientServerCapacityException: 4335,
  InvalidParameterValueException: 4350,
  PermissionDeniedException: 4365,
  /** A ServerApiException thrown on its own, without one of the exceptions above as cause. */
  ServerApiException: 9999,
} as const

/** api/src/main/java/org/apache/cloudstack/api/ApiErrorCode.java: the HTTP statuses. */
export const API_ERROR_CODE = {
  ACCOUNT_ERROR: 531,
  INSUFFICIENT_CAPACITY_ERROR: 533,
  INTERNAL_ERROR: 530,
  MALFORMED_PARAMETER_ERROR: 430,
  PARAM_ERROR: 431,
  UNAUTHORIZED: 401,
  UNSUPPORTED_ACTION_ERROR: 432,
} as const

export interface ErrorPath {
  /** cserrorcode, absent where upstream answers without one (authentication failures). */
  cserrorcode?: number
  errorcode: number
  /** What upstream throws there. */
  exception: string
  id: string
  /** The upstream file (apache/cloudstack) that throws it. */
  source: string
  /** The situation, in words. */
  when: string
}

const PARAMS = 'server/src/main/java/com/cloud/api/dispatch/ParamProcessWorker.java'
const API_SERVER = 'server/src/main/java/com/cloud/api/ApiServer.java'

export const ERROR_PATHS: ErrorPath[] = [
  {
    cserrorcode: CS_ERROR_CODE.ServerApiException,
    errorcode: API_ERROR_CODE.PARAM_ERROR,
    exception: 'InvalidParameterValueException, rewrapped as ServerApiException(PARAM_ERROR) without cause',
    id: 'unknown-uuid',
    source: PARAMS,
    when: 'a uuid parameter names no existing object',
  },
  {
    cserrorcode: CS_ERROR_CODE.ServerApiException,
    errorcode: API_ERROR_CODE.PARAM_ERROR,
    exception: 'ServerApiException(PARAM_ERROR)',
    id: 'missing-parameter',
    source: PARAMS,
    when: 'a required parameter is missing',
  },
  {
    cserrorcode: CS_ERROR_CODE.ServerApiException,
    errorcode: API_ERROR_CODE.PARAM_ERROR,
    exception: 'ServerApiException(PARAM_ERROR)',
    id: 'invalid-number',
    source: PARAMS,
    when: 'an integer parameter does not parse',
  },
  {
    cserrorcode: CS_ERROR_CODE.InvalidParameterValueException,
    errorcode: API_ERROR_CODE.PARAM_ERROR,
    exception: 'InvalidParameterValueException',
    id: 'manager-invalid-parameter',
    source: 'server/src/main/java/com/cloud/configuration/ConfigurationManagerImpl.java',
    when: 'updateConfiguration of a setting that does not exist',
  },
  {
    cserrorcode: CS_ERROR_CODE.InvalidParameterValueException,
    errorcode: API_ERROR_CODE.PARAM_ERROR,
    exception: 'InvalidParameterValueException',
    id: 'command-invalid-parameter',
    source: 'api/src/main/java/org/apache/cloudstack/api/command/admin/host/ListHostsCmd.java',
    when: 'listHosts details with a value outside [min, all, capacity, events, stats]',
  },
  {
    cserrorcode: CS_ERROR_CODE.CloudRuntimeException,
    errorcode: API_ERROR_CODE.INTERNAL_ERROR,
    exception: 'CloudRuntimeException',
    id: 'cloud-runtime',
    source: 'server/src/main/java/org/apache/cloudstack/ca/CAManagerImpl.java',
    when: 'a CA provider that does not exist',
  },
  {
    errorcode: API_ERROR_CODE.UNAUTHORIZED,
    exception: 'none: verifyRequest fails and the servlet answers 401',
    id: 'unknown-command-signed',
    source: API_SERVER,
    when: 'a signed request for a command the server does not have',
  },
  {
    errorcode: API_ERROR_CODE.ACCOUNT_ERROR,
    exception:
      'CloudAuthenticationException, answered through getSerializedApiError(531, text), which sets no cserrorcode',
    id: 'login-failed',
    source: 'server/src/main/java/com/cloud/api/auth/DefaultLoginAPIAuthenticatorCmd.java',
    when: 'login with a wrong password',
  },
  {
    errorcode: API_ERROR_CODE.UNAUTHORIZED,
    exception: 'none: verifyRequest fails and the servlet answers 401',
    id: 'bad-signature',
    source: API_SERVER,
    when: 'a request whose signature does not verify',
  },
]
