// java.util.Random's 48-bit linear congruential generator (Java SE API, class Random). A seeded
// States.MathRandom and JSONata's $random(seed) must give the same number on every run, as AWS's
// JVM does; AWS documents no generator, and Java's is the likeliest one behind a JVM service.
// 48-bit products exceed 2^53, hence BigInt.

const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  /** `seed` must be an integer (Java's long): callers truncate. */
  constructor(seed: number) {
    this.seed = (BigInt.asIntN(64, BigInt(seed)) ^ MULTIPLIER) & MASK;
  }

  /** A uniform int in [0, bound), bound > 0: Random.nextInt(int bound). */
  nextInt(bound: number): number {
    if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n);
    for (;;) {
      const bits = this.next(31);
      const value = bits % bound;
      if (bits - value + (bound - 1) < 2 ** 31) return value;
    }
  }

  /** A uniform double in [0, 1) with 53 random bits: Random.nextDouble(). */
  nextDouble(): number {
    const high = this.next(26);
    const low = this.next(27);
    return (high * 2 ** 27 + low) / 2 ** 53;
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }
}
