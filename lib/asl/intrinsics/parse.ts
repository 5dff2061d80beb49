// Intrinsic function syntax (AWS guide, "Intrinsic functions for JSONPath states"):
//   call     = "States." name "(" [ argument *( "," argument ) ] ")"
//   argument = 'string' | number | true | false | null | path | call
// Inside a string literal ' { } and \ are reserved and are written \' \{ \} \\; any other backslash
// is "an open escape" that AWS rejects. Whitespace may surround every token.
import type { Json } from '../json.js';
import { intrinsicSignature } from './registry.js';

export type IntrinsicArgument =
  // A string literal keeps its States.Format reading, since which braces were escaped is lost in `value`.
  | { readonly kind: 'literal'; readonly value: Json; readonly template?: FormatTemplate }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'call'; readonly call: IntrinsicCall };

export interface IntrinsicCall {
  /** The full name, e.g. `States.Format`. */
  readonly name: string;
  readonly args: readonly IntrinsicArgument[];
}

/** A States.Format template: literal pieces around each `{}`, or why it cannot be one. */
export type FormatTemplate = { readonly pieces: readonly string[] } | { readonly invalid: string };

/** AWS allows up to 10 intrinsic functions nested within one field. */
const MAX_NESTING = 10;

export class IntrinsicSyntaxError extends Error {
  override readonly name = 'IntrinsicSyntaxError';
}

export function isIntrinsicCall(s: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(s) && /\)\s*$/.test(s);
}

/** The parsed form of `expression`, or an IntrinsicSyntaxError naming the first problem. */
export function parseIntrinsic(expression: string): IntrinsicCall {
  const parser = new Parser(expression);
  parser.skipSpace();
  const call = parser.call(1);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail('unexpected text after the closing parenthesis');
  return call;
}

/** undefined when `expression` is a well-formed call of a known function with an accepted argument count. */
export function intrinsicSyntaxError(expression: string): string | undefined {
  try {
    parseIntrinsic(expression);
    return undefined;
  } catch (error) {
    if (error instanceof IntrinsicSyntaxError) return error.message;
    throw error;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(problem: string): never {
    throw new IntrinsicSyntaxError(`Invalid intrinsic function call ${this.text}: ${problem} at position ${this.pos}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  call(depth: number): IntrinsicCall {
    if (depth > MAX_NESTING) this.fail(`more than ${MAX_NESTING} nested intrinsic functions`);
    const match = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (match === null) this.fail("expected 'States.' and a function name");
    const name = match[0];
    const signature = intrinsicSignature(name);
    if (signature === undefined) this.fail(`unknown function ${name}`);
    this.pos += name.length;
    this.skipSpace();
    this.expect('(');
    const args = this.argumentList(depth);
    if (args.length < signature.minArgs || args.length > signature.maxArgs) {
      this.fail(`${name} ${arityText(signature.minArgs, signature.maxArgs)}, got ${args.length}`);
    }
    return { name, args };
  }

  private argumentList(depth: number): IntrinsicArgument[] {
    const args: IntrinsicArgument[] = [];
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      this.skipSpace();
      args.push(this.argument(depth));
      this.skipSpace();
      const next = this.peek();
      this.pos++;
      if (next === ')') return args;
      if (next !== ',') {
        this.pos--;
        this.fail("expected ',' or ')'");
      }
    }
  }

  private argument(depth: number): IntrinsicArgument {
    const c = this.peek();
    if (c === "'") return this.stringLiteral();
    if (c === '$') return { kind: 'path', path: this.path() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { kind: 'literal', value: this.number() };
    const rest = this.text.slice(this.pos);
    for (const [word, value] of KEYWORDS) {
      if (rest.startsWith(word) && !/[A-Za-z0-9_]/.test(rest.charAt(word.length))) {
        this.pos += word.length;
        return { kind: 'literal', value };
      }
    }
    if (rest.startsWith('States.')) return { kind: 'call', call: this.call(depth + 1) };
    return this.fail('expected an argument');
  }

  private stringLiteral(): IntrinsicArgument {
    this.pos++; // opening quote
    let value = '';
    const pieces: string[] = [];
    let piece = '';
    let invalid: string | undefined;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated string literal');
      this.pos++;
      if (c === "'") break;
      if (c === '\\') {
        const escaped = this.peek();
        if (escaped !== "'" && escaped !== '{' && escaped !== '}' && escaped !== '\\') {
          this.fail('open escape backslash in string literal');
        }
        this.pos++;
        value += escaped;
        piece += escaped;
        continue;
      }
      value += c;
      if (c === '{' && this.peek() === '}') {
        this.pos++;
        value += '}';
        pieces.push(piece);
        piece = '';
      } else if (c === '{' || c === '}') {
        invalid ??= `unescaped '${c}' in the format string`;
        piece += c;
      } else {
        piece += c;
      }
    }
    pieces.push(piece);
    return { kind: 'literal', value, template: invalid === undefined ? { pieces } : { invalid } };
  }

  private number(): number {
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (match === null) this.fail('malformed number');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  // A path runs to the next ',' or ')' outside brackets, quotes and parentheses, so filters such as
  // $.a[?(@.b == 'x, y')] and bracketed names like $['first name'] stay whole.
  private path(): string {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    while (this.pos < this.text.length) {
      const c = this.text.charAt(this.pos);
      if (quote !== undefined) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') {
        if (depth === 0) this.fail('unexpected quote in path');
        quote = c;
      } else if (c === '[' || c === '(') {
        depth++;
      } else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (c === ',' || /\s/.test(c))) {
        break;
      }
      this.pos++;
    }
    if (quote !== undefined || depth !== 0) this.fail('unterminated path');
    return this.text.slice(start, this.pos);
  }

  private expect(c: string): void {
    if (this.peek() !== c) this.fail(`expected '${c}'`);
    this.pos++;
  }

  private peek(): string | undefined {
    return this.pos < this.text.length ? this.text.charAt(this.pos) : undefined;
  }
}

const KEYWORDS: ReadonlyArray<readonly [string, Json]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

function arityText(min: number, max: number): string {
  if (min === max) return `takes ${min} argument${min === 1 ? '' : 's'}`;
  if (max === Infinity) return `takes at least ${min} argument${min === 1 ? '' : 's'}`;
  return `takes ${min} to ${max} arguments`;
}
