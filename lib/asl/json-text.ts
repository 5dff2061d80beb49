import type { Json } from './json.js';

/**
 * The JSON text of a value. AWS hands a value that no state has changed on with the text it arrived
 * in (an execution input's spacing survives into later events): parsed texts are remembered per
 * object. Values are never mutated once made (every state builds new ones), which is what makes the
 * memo sound.
 */
const texts = new WeakMap<object, string>();

/**
 * The two latest values serialised, and their texts: a state's output is serialised when it exits
 * (its history event, the payload quota) and read again at once as the next state's input, a value
 * passed on unchanged through many states is serialised once, and the branches of a Parallel read
 * their common input between their own outputs. Two entries rather than a WeakMap entry per value:
 * every WeakMap entry is work for each young-generation collection, and a state's output rarely
 * lives long.
 */
let lastValue: object | undefined;
let lastText = '';
let earlierValue: object | undefined;
let earlierText = '';

export function jsonText(value: Json): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (value === lastValue) return lastText;
  const text = value === earlierValue ? earlierText : (texts.get(value) ?? JSON.stringify(value));
  earlierValue = lastValue;
  earlierText = lastText;
  lastValue = value;
  lastText = text;
  return text;
}

/** Parses JSON text, remembering the text as the value's own. */
export function parseJsonText(text: string): Json {
  const value = JSON.parse(text) as Json;
  if (typeof value === 'object' && value !== null) texts.set(value, text);
  return value;
}
