/** Which server the simulator imitates: ABLESTACK Mold (HmacSHA256) or Apache CloudStack (HmacSHA1). */
export type SimFlavor = 'cloudstack' | 'mold'

/** cloudstackversion reported by listCapabilities and XML envelopes. */
export const FLAVOR_VERSION: Record<SimFlavor, string> = {cloudstack: '4.20.1.0', mold: '4.22.0.0'}
