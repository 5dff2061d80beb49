import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HASH_ALGORITHMS, hashHex } from '../../../lib/asl/intrinsics/hash-algorithms.js';

const NODE_NAMES = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

describe('hash algorithms', () => {
  it('match the FIPS 180-4 / RFC 1321 digests of "abc"', () => {
    const abc = new TextEncoder().encode('abc');

    expect(hashHex('MD5', abc)).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hashHex('SHA-1', abc)).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hashHex('SHA-256', abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashHex('SHA-512', abc)).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  // Lengths around the 56/64- and 112/128-byte padding boundaries, where a length field spills into a new block.
  it.each(HASH_ALGORITHMS.flatMap((algorithm) => [0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 1000].map((n) => [algorithm, n] as const)))(
    'agrees with node:crypto for %s over %i bytes',
    (algorithm, n) => {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);

      expect(hashHex(algorithm, data)).toBe(createHash(NODE_NAMES[algorithm]).update(data).digest('hex'));
    },
  );
});
