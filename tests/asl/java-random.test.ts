import { describe, expect, it } from 'vitest';
import { JavaRandom } from '../../lib/asl/java-random.js';

// Expected values are what java.util.Random prints on any JVM for these seeds.
describe('JavaRandom', () => {
  it('draws the doubles java.util.Random draws for seed 0', () => {
    const random = new JavaRandom(0);
    expect(random.nextDouble()).toBe(0.730967787376657);
    expect(random.nextDouble()).toBe(0.24053641567148587);
  });

  it('draws the bounded ints java.util.Random draws for seed 42', () => {
    const random = new JavaRandom(42);
    expect([random.nextInt(10), random.nextInt(10), random.nextInt(10)]).toEqual([0, 3, 8]);
  });

  it('gives the same sequence for the same seed, so a seeded draw is repeatable', () => {
    const a = new JavaRandom(-987654321);
    const b = new JavaRandom(-987654321);
    expect([a.nextInt(1000), a.nextDouble()]).toEqual([b.nextInt(1000), b.nextDouble()]);
  });
});
