/* eslint-disable unicorn/prefer-math-trunc -- `x | 0` wraps to 32 bits, which MD5 arithmetic needs; Math.trunc does not wrap */

/**
 * MD5 (RFC 1321) in plain JavaScript, shaped for jasypt's key derivation: PBEWithMD5AndDES hashes
 * `password || salt` once and then re-hashes the 16-byte digest 999 times. That inner loop is
 * the cost of every V1 value, so it works on four 32-bit words with no allocation; node:crypto
 * spends about ten times longer per call on object creation alone, and is unavailable for MD5 in
 * FIPS mode. Correctness is checked against node:crypto in the tests.
 */

/** floor(|sin(i + 1)| * 2^32), the RFC's T table. */
const T = new Int32Array([
  0xd7_6a_a4_78, 0xe8_c7_b7_56, 0x24_20_70_db, 0xc1_bd_ce_ee, 0xf5_7c_0f_af, 0x47_87_c6_2a, 0xa8_30_46_13,
  0xfd_46_95_01, 0x69_80_98_d8, 0x8b_44_f7_af, 0xff_ff_5b_b1, 0x89_5c_d7_be, 0x6b_90_11_22, 0xfd_98_71_93,
  0xa6_79_43_8e, 0x49_b4_08_21, 0xf6_1e_25_62, 0xc0_40_b3_40, 0x26_5e_5a_51, 0xe9_b6_c7_aa, 0xd6_2f_10_5d,
  0x02_44_14_53, 0xd8_a1_e6_81, 0xe7_d3_fb_c8, 0x21_e1_cd_e6, 0xc3_37_07_d6, 0xf4_d5_0d_87, 0x45_5a_14_ed,
  0xa9_e3_e9_05, 0xfc_ef_a3_f8, 0x67_6f_02_d9, 0x8d_2a_4c_8a, 0xff_fa_39_42, 0x87_71_f6_81, 0x6d_9d_61_22,
  0xfd_e5_38_0c, 0xa4_be_ea_44, 0x4b_de_cf_a9, 0xf6_bb_4b_60, 0xbe_bf_bc_70, 0x28_9b_7e_c6, 0xea_a1_27_fa,
  0xd4_ef_30_85, 0x04_88_1d_05, 0xd9_d4_d0_39, 0xe6_db_99_e5, 0x1f_a2_7c_f8, 0xc4_ac_56_65, 0xf4_29_22_44,
  0x43_2a_ff_97, 0xab_94_23_a7, 0xfc_93_a0_39, 0x65_5b_59_c3, 0x8f_0c_cc_92, 0xff_ef_f4_7d, 0x85_84_5d_d1,
  0x6f_a8_7e_4f, 0xfe_2c_e6_e0, 0xa3_01_43_14, 0x4e_08_11_a1, 0xf7_53_7e_82, 0xbd_3a_f2_35, 0x2a_d7_d2_bb,
  0xeb_86_d3_91,
])

/** Left-rotation amount of each of the 64 steps. */
const SHIFT = new Int32Array(64)
/** Which message word each of the 64 steps reads. */
const WORD = new Int32Array(64)
for (let i = 0; i < 64; i++) {
  const round = i >> 4
  SHIFT[i] = [
    [7, 12, 17, 22],
    [5, 9, 14, 20],
    [4, 11, 16, 23],
    [6, 10, 15, 21],
  ][round][i & 3]
  WORD[i] = [i, 5 * i + 1, 3 * i + 5, 7 * i][round] & 15
}

const INITIAL_STATE = [0x67_45_23_01, 0xef_cd_ab_89 | 0, 0x98_ba_dc_fe | 0, 0x10_32_54_76]

/**
 * One MD5 compression of the 16 words in `block` into `state` (both little-endian words). The
 * four rounds differ only in their mixing function, so each gets its own branch-free loop.
 */
function compress(state: Int32Array, block: Int32Array): void {
  let a = state[0]
  let b = state[1]
  let c = state[2]
  let d = state[3]
  let i = 0
  for (; i < 16; i++) {
    const sum = (a + ((b & c) | (~b & d)) + T[i] + block[WORD[i]]) | 0
    a = d
    d = c
    c = b
    b = (b + ((sum << SHIFT[i]) | (sum >>> (32 - SHIFT[i])))) | 0
  }

  for (; i < 32; i++) {
    const sum = (a + ((d & b) | (~d & c)) + T[i] + block[WORD[i]]) | 0
    a = d
    d = c
    c = b
    b = (b + ((sum << SHIFT[i]) | (sum >>> (32 - SHIFT[i])))) | 0
  }

  for (; i < 48; i++) {
    const sum = (a + (b ^ c ^ d) + T[i] + block[WORD[i]]) | 0
    a = d
    d = c
    c = b
    b = (b + ((sum << SHIFT[i]) | (sum >>> (32 - SHIFT[i])))) | 0
  }

  for (; i < 64; i++) {
    const sum = (a + (c ^ (b | ~d)) + T[i] + block[WORD[i]]) | 0
    a = d
    d = c
    c = b
    b = (b + ((sum << SHIFT[i]) | (sum >>> (32 - SHIFT[i])))) | 0
  }

  state[0] = (state[0] + a) | 0
  state[1] = (state[1] + b) | 0
  state[2] = (state[2] + c) | 0
  state[3] = (state[3] + d) | 0
}

function wordsToBytes(state: Int32Array): Uint8Array {
  const out = new Uint8Array(16)
  for (let w = 0; w < 4; w++) {
    const v = state[w]
    out[w * 4] = v & 0xff
    out[w * 4 + 1] = (v >>> 8) & 0xff
    out[w * 4 + 2] = (v >>> 16) & 0xff
    out[w * 4 + 3] = (v >>> 24) & 0xff
  }

  return out
}

/** MD5 of any byte string. */
export function md5(message: Uint8Array): Uint8Array {
  const paddedLength = (((message.length + 8) >> 6) + 1) << 6
  const padded = new Uint8Array(paddedLength)
  padded.set(message)
  padded[message.length] = 0x80
  const bitLength = message.length * 8
  const view = new DataView(padded.buffer)
  view.setUint32(paddedLength - 8, bitLength >>> 0, true)
  view.setUint32(paddedLength - 4, Math.floor(bitLength / 2 ** 32), true)

  const state = Int32Array.from(INITIAL_STATE)
  const block = new Int32Array(16)
  for (let offset = 0; offset < paddedLength; offset += 64) {
    for (let w = 0; w < 16; w++) block[w] = view.getInt32(offset + w * 4, true)
    compress(state, block)
  }

  return wordsToBytes(state)
}

/**
 * `times` further rounds of `digest = MD5(digest)` on a 16-byte digest. A 16-byte message is
 * a single block whose padding never changes, so only the first four words are refreshed.
 */
export function md5Repeated(digest: Uint8Array, times: number): Uint8Array {
  if (digest.length !== 16) throw new RangeError('md5Repeated needs a 16-byte digest')
  const view = new DataView(digest.buffer, digest.byteOffset, 16)
  const state = new Int32Array(4)
  for (let w = 0; w < 4; w++) state[w] = view.getInt32(w * 4, true)

  const block = new Int32Array(16)
  block[4] = 0x80
  block[14] = 128 // bit length of a 16-byte message
  for (let round = 0; round < times; round++) {
    block[0] = state[0]
    block[1] = state[1]
    block[2] = state[2]
    block[3] = state[3]
    state[0] = INITIAL_STATE[0]
    state[1] = INITIAL_STATE[1]
    state[2] = INITIAL_STATE[2]
    state[3] = INITIAL_STATE[3]
    compress(state, block)
  }

  return wordsToBytes(state)
}
