// MD5 (RFC 1321), SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4) over bytes, as lowercase hex.
// lib/asl may not import node:crypto, and WebCrypto's digest is asynchronous, so they are written out here.
// The round constants are derived, not typed in: FIPS 180-4 defines them as the fractional parts of
// square and cube roots of the first primes, and RFC 1321 as the integer part of |sin(i + 1)| * 2^32.

export type HashAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly unknown[]).includes(value);
}

const UTF8 = new TextEncoder();

/** The digest of a string's UTF-8 bytes, as States.Hash and JSONata's $hash both take it. */
export function hashText(algorithm: HashAlgorithm, text: string): string {
  return hashHex(algorithm, UTF8.encode(text));
}

export function hashHex(algorithm: HashAlgorithm, data: Uint8Array): string {
  switch (algorithm) {
    case 'MD5':
      return md5(data);
    case 'SHA-1':
      return sha1(data);
    case 'SHA-256':
      return sha256(data);
    case 'SHA-384':
      return sha512Family(data, SHA384_INIT, 6);
    case 'SHA-512':
      return sha512Family(data, SHA512_INIT, 8);
  }
}

// ---------------------------------------------------------------------------------------------------
// Constants

const PRIMES = firstPrimes(80);

/** floor(frac(root(p)) * 2^64) for the k-th root of p, split into [hi, lo] 32-bit halves. */
function rootFraction64(p: number, k: 2 | 3): [number, number] {
  const scaled = BigInt(p) << BigInt(64 * k); // root(p * 2^(64k)) = root(p) * 2^64
  let x = 1n << BigInt(Math.ceil((Math.log2(p) + 64 * k) / k) + 1); // above the root: Newton descends
  for (;;) {
    const next = ((BigInt(k) - 1n) * x + scaled / x ** BigInt(k - 1)) / BigInt(k);
    if (next >= x) break;
    x = next;
  }
  const fraction = x & ((1n << 64n) - 1n);
  return [Number(fraction >> 32n), Number(fraction & 0xffffffffn)];
}

const SHA512_K = PRIMES.map((p) => rootFraction64(p, 3));
const SHA512_K_FLAT = Uint32Array.from(SHA512_K.flat());
const SHA512_INIT = PRIMES.slice(0, 8).map((p) => rootFraction64(p, 2));
const SHA384_INIT = PRIMES.slice(8, 16).map((p) => rootFraction64(p, 2));
// SHA-256 uses the first 32 bits of the same roots.
const SHA256_K = Uint32Array.from(SHA512_K.slice(0, 64), ([hi]) => hi);
const SHA256_INIT = SHA512_INIT.map(([hi]) => hi);
const MD5_K = Uint32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));
const MD5_SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

// ---------------------------------------------------------------------------------------------------
// Padding: the message, 0x80, zeros, then its length in bits, filling whole blocks.

function pad(data: Uint8Array, blockSize: 64 | 128, littleEndian: boolean): DataView {
  const lengthBytes = blockSize / 8;
  const total = Math.ceil((data.length + 1 + lengthBytes) / blockSize) * blockSize;
  const padded = new Uint8Array(total);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = data.length * 8; // inputs are far below 2^53 bits
  const hi = Math.floor(bits / 2 ** 32);
  const lo = bits >>> 0;
  if (littleEndian) {
    view.setUint32(total - 8, lo, true);
    view.setUint32(total - 4, hi, true);
  } else {
    view.setUint32(total - 8, hi);
    view.setUint32(total - 4, lo);
  }
  return view;
}

function hex(words: Iterable<number>, littleEndian = false): string {
  let out = '';
  for (const word of words) {
    const w = littleEndian
      ? ((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24)
      : word;
    out += (w >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

// ---------------------------------------------------------------------------------------------------

function md5(data: Uint8Array): string {
  const view = pad(data, 64, true);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const m = new Uint32Array(16);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) m[i] = view.getUint32(block + i * 4, true);
    let [a, b, c, d] = h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + (MD5_K[i] as number) + (m[g] as number)) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotl(sum, MD5_SHIFTS[(i >> 4) * 4 + (i % 4)] as number)) | 0;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + d) | 0;
  }
  return hex(h, true);
}

function sha1(data: Uint8Array): string {
  const view = pad(data, 64, false);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      w[i] = rotl((w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number), 1);
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (rotl(a, 5) + f + e + k + (w[i] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + d) | 0;
    h[4] = ((h[4] as number) + e) | 0;
  }
  return hex(h);
}

function sha256(data: Uint8Array): string {
  const view = pad(data, 64, false);
  const h = [...SHA256_INIT];
  const w = new Int32Array(64);
  for (let block = 0; block < view.byteLength; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15] as number;
      const y = w[i - 2] as number;
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[i] = (w[i - 16] as number) + s0 + (w[i - 7] as number) + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 =
        (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (SHA256_K[i] as number) + (w[i] as number)) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => {
      h[i] = ((h[i] as number) + v) | 0;
    });
  }
  return hex(h);
}

// SHA-384 and SHA-512 work on 64-bit words, held here as pairs of 32-bit halves: hi at 2i, lo at 2i + 1.

function sha512Family(data: Uint8Array, init: ReadonlyArray<[number, number]>, outputWords: number): string {
  const view = pad(data, 128, false);
  const h = new Uint32Array(16);
  init.forEach(([hi, lo], i) => {
    h[2 * i] = hi;
    h[2 * i + 1] = lo;
  });
  const w = new Uint32Array(160);
  const v = new Uint32Array(16); // a..h
  for (let block = 0; block < view.byteLength; block += 128) {
    for (let i = 0; i < 32; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const xh = w[2 * (i - 15)] as number;
      const xl = w[2 * (i - 15) + 1] as number;
      const yh = w[2 * (i - 2)] as number;
      const yl = w[2 * (i - 2) + 1] as number;
      // σ0 = rotr 1 ^ rotr 8 ^ shr 7; σ1 = rotr 19 ^ rotr 61 ^ shr 6
      const s0h = rotrHi(xh, xl, 1) ^ rotrHi(xh, xl, 8) ^ (xh >>> 7);
      const s0l = rotrLo(xh, xl, 1) ^ rotrLo(xh, xl, 8) ^ ((xl >>> 7) | (xh << 25));
      const s1h = rotrHi(yh, yl, 19) ^ rotrHi(yh, yl, 61) ^ (yh >>> 6);
      const s1l = rotrLo(yh, yl, 19) ^ rotrLo(yh, yl, 61) ^ ((yl >>> 6) | (yh << 26));
      const lo = (w[2 * (i - 16) + 1] as number) + (s0l >>> 0) + (w[2 * (i - 7) + 1] as number) + (s1l >>> 0);
      w[2 * i] = (w[2 * (i - 16)] as number) + s0h + (w[2 * (i - 7)] as number) + s1h + Math.floor(lo / 2 ** 32);
      w[2 * i + 1] = lo;
    }
    v.set(h);
    for (let i = 0; i < 80; i++) {
      const ah = v[0] as number, al = v[1] as number, bh = v[2] as number, bl = v[3] as number;
      const ch = v[4] as number, cl = v[5] as number, dh = v[6] as number, dl = v[7] as number;
      const eh = v[8] as number, el = v[9] as number, fh = v[10] as number, fl = v[11] as number;
      const gh = v[12] as number, gl = v[13] as number, hh = v[14] as number, hl = v[15] as number;
      // Σ1(e) = rotr 14 ^ rotr 18 ^ rotr 41; Ch(e, f, g); Σ0(a) = rotr 28 ^ rotr 34 ^ rotr 39; Maj(a, b, c)
      const S1h = rotrHi(eh, el, 14) ^ rotrHi(eh, el, 18) ^ rotrHi(eh, el, 41);
      const S1l = rotrLo(eh, el, 14) ^ rotrLo(eh, el, 18) ^ rotrLo(eh, el, 41);
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      const kh = SHA512_K_FLAT[2 * i] as number;
      const kl = SHA512_K_FLAT[2 * i + 1] as number;
      const t1l = hl + (S1l >>> 0) + (chl >>> 0) + kl + (w[2 * i + 1] as number);
      const t1h = hh + S1h + chh + kh + (w[2 * i] as number) + Math.floor(t1l / 2 ** 32);
      const S0h = rotrHi(ah, al, 28) ^ rotrHi(ah, al, 34) ^ rotrHi(ah, al, 39);
      const S0l = rotrLo(ah, al, 28) ^ rotrLo(ah, al, 34) ^ rotrLo(ah, al, 39);
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2l = (S0l >>> 0) + (majl >>> 0);
      const t2h = S0h + majh + Math.floor(t2l / 2 ** 32);
      v.copyWithin(2, 0, 14); // h = g, g = f, ..., b = a
      const el2 = dl + (t1l >>> 0);
      v[8] = dh + t1h + Math.floor(el2 / 2 ** 32);
      v[9] = el2;
      const al2 = (t1l >>> 0) + (t2l >>> 0);
      v[0] = t1h + t2h + Math.floor(al2 / 2 ** 32);
      v[1] = al2;
    }
    for (let i = 0; i < 16; i += 2) {
      const lo = (h[i + 1] as number) + (v[i + 1] as number);
      h[i] = (h[i] as number) + (v[i] as number) + Math.floor(lo / 2 ** 32);
      h[i + 1] = lo;
    }
  }
  return hex(h.subarray(0, outputWords * 2));
}

/** High half of the 64-bit (hi, lo) rotated right by n (0 < n < 64, n !== 32). */
function rotrHi(hi: number, lo: number, n: number): number {
  return n < 32 ? (hi >>> n) | (lo << (32 - n)) : (lo >>> (n - 32)) | (hi << (64 - n));
}

function rotrLo(hi: number, lo: number, n: number): number {
  return n < 32 ? (lo >>> n) | (hi << (32 - n)) : (hi >>> (n - 32)) | (lo << (64 - n));
}
