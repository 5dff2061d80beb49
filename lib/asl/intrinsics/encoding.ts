// States.Base64Encode and States.Base64Decode: MIME Base64 of the string's UTF-8 bytes.
import { invalidArguments } from './failure.js';
import type { IntrinsicFunction } from './function.js';

/** "This function takes a data string of up to 10,000 characters." */
const MAX_INPUT_LENGTH = 10_000;

const UTF8 = new TextEncoder();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT_VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

export const statesBase64Encode: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  apply([text]) {
    if (typeof text !== 'string' || text.length > MAX_INPUT_LENGTH) throw invalidArguments('States.Base64Encode');
    return encodeBase64(UTF8.encode(text));
  },
};

export const statesBase64Decode: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  apply([text]) {
    if (typeof text !== 'string' || text.length > MAX_INPUT_LENGTH) throw invalidArguments('States.Base64Decode');
    const bytes = decodeBase64(text);
    if (bytes === undefined) throw invalidArguments('States.Base64Decode');
    // Bytes that are not UTF-8 become U+FFFD, as Java's new String(bytes, UTF_8) does.
    return new TextDecoder('utf-8').decode(bytes);
  },
};

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63);
    out += b1 === undefined ? '=' : ALPHABET.charAt((n >>> 6) & 63);
    out += b2 === undefined ? '=' : ALPHABET.charAt(n & 63);
  }
  return out;
}

/** undefined when `text` is not Base64; padding may be omitted, as Java's basic decoder allows. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const body = text.replace(/={1,2}$/, '');
  if (body.length % 4 === 1 || (text.length !== body.length && text.length % 4 !== 0)) return undefined;
  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const c of body) {
    const value = DIGIT_VALUES.get(c);
    if (value === undefined) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >>> bits) & 0xff;
    }
  }
  return bytes;
}
