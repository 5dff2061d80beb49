/**
 * `$random(seed)` must give the same number for the same seed. AWS does not document its generator;
 * we use java.util.Random's (48-bit LCG, nextDouble), the likeliest one behind a JVM service, so at
 * least the sequence is a well-known one rather than our own invention.
 */
const MULTIPLIER = 0x5deece66dn;
const INCREMENT = 0xbn;
const MASK = (1n << 48n) - 1n;

export function seededRandom(seed: number): number {
  let state = (BigInt.asIntN(64, BigInt(Math.trunc(seed))) ^ MULTIPLIER) & MASK;
  const next = (bits: bigint): bigint => {
    state = (state * MULTIPLIER + INCREMENT) & MASK;
    return state >> (48n - bits);
  };
  const high = next(26n);
  const low = next(27n);
  return Number((high << 27n) + low) / 2 ** 53;
}
