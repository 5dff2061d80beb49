import type { Json } from './json.js';

/**
 * The JSON text of a value, remembered per object. AWS hands a value that no state has changed on
 * with the text it arrived in (an execution input's spacing survives into later events), and a value
 * passed on unchanged through many states is serialised once, not once per event. Values are never
 * mutated once made (every state builds new ones), which is what makes the memo sound.
 */
const texts = new WeakMap<object, string>();

export function jsonText(value: Json): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** Parses JSON text, remembering the text as the value's own. */
export function parseJsonText(text: string): Json {
  const value = JSON.parse(text) as Json;
  if (typeof value === 'object' && value !== null) texts.set(value, text);
  return value;
}
