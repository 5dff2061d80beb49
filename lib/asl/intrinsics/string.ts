// States.Format and States.StringSplit.
import { isJsonObject, type Json } from '../json.js';
import { invalidArguments } from './failure.js';
import type { IntrinsicFunction } from './function.js';
import type { FormatTemplate } from './parse.js';

export const statesFormat: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: Infinity,
  apply(args, _scope, call) {
    const template = args[0];
    if (typeof template !== 'string') throw invalidArguments('States.Format');
    // A literal template was split at parse time, where escaped braces (\{ \}) are still told apart.
    const first = call.args[0];
    const parsed: FormatTemplate =
      first?.kind === 'literal' && first.template !== undefined ? first.template : { pieces: template.split('{}') };
    // "There must be as many remaining arguments ... as there are occurrences of {}."
    if ('invalid' in parsed || parsed.pieces.length !== args.length) throw invalidArguments('States.Format');
    const { pieces } = parsed;
    let text = pieces[0]!;
    for (let i = 1; i < args.length; i++) text += formatValue(args[i]!) + pieces[i]!;
    return text;
  },
};

// Strings go in bare; containers read as Java's List/Map toString, e.g. {Arg1=1, Arg2=[]}
// (LocalStack's rendering of what AWS prints).
function formatValue(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${formatValue(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

export const statesStringSplit: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  apply([text, delimiters]) {
    if (typeof text !== 'string' || typeof delimiters !== 'string') throw invalidArguments('States.StringSplit');
    // Every character of the second argument is a delimiter, and empty pieces are dropped:
    // ", , ," splits into [" ", " "] (AWS recording).
    const separators = new Set(delimiters);
    const parts: string[] = [];
    let part = '';
    for (const c of text) {
      if (separators.has(c)) {
        if (part !== '') parts.push(part);
        part = '';
      } else {
        part += c;
      }
    }
    if (part !== '') parts.push(part);
    return parts;
  },
};
