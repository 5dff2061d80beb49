// Filter expressions, Jayway's `[?(...)]`: &&, ||, !, parentheses, existence tests, comparisons
// (== != < <= > >=), regex matches (=~ /re/flags, whole-string as Java's matches()), in and nin.
// Paths inside a filter (`@.price`, `$.limit`) are read by json-path.ts, which hands in its compiler.
import type { Json } from '../json.js';
import { jsonEqual } from '../json-equal.js';
import { PathSyntaxError } from './path-syntax-error.js';

/** Whether an item passes the filter; `root` is what `$` means inside it. */
export type Predicate = (item: Json, root: Json) => boolean;

/** Compiles a path written inside a filter into a reader that applies it to the node it is rooted at. */
export type SubPathCompiler = (pathText: string) => (node: Json) => Json | undefined;

/** The filter whose `(` stands at `open` in `text`: its test, and the index of the `)` that closes it. */
export function parseFilter(text: string, open: number, compilePath: SubPathCompiler): { test: Predicate; close: number } {
  const close = matchingParen(text, open);
  return { test: new FilterParser(text.slice(open + 1, close), compilePath).parse(), close };
}

/** The `)` closing the `(` at `open`, skipping quoted strings and regex literals. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i);
    } else if (c === '/' && /=~\s*$/.test(text.slice(open, i))) {
      i = skipQuoted(text, i);
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  throw new PathSyntaxError('Unbalanced parentheses in filter');
}

function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  throw new PathSyntaxError('Unterminated string in filter');
}

type Operand = (item: Json, root: Json) => Json | undefined;

class FilterParser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly compilePath: SubPathCompiler,
  ) {}

  parse(): Predicate {
    const predicate = this.parseOr();
    this.skipSpaces();
    if (this.pos !== this.text.length) throw new PathSyntaxError(`Unexpected '${this.text.slice(this.pos)}' in filter`);
    return predicate;
  }

  private parseOr(): Predicate {
    let left = this.parseAnd();
    while (this.eat('||')) {
      const a = left;
      const b = this.parseAnd();
      left = (item, root) => a(item, root) || b(item, root);
    }
    return left;
  }

  private parseAnd(): Predicate {
    let left = this.parseUnary();
    while (this.eat('&&')) {
      const a = left;
      const b = this.parseUnary();
      left = (item, root) => a(item, root) && b(item, root);
    }
    return left;
  }

  private parseUnary(): Predicate {
    this.skipSpaces();
    if (this.text[this.pos] === '!' && this.text[this.pos + 1] !== '=') {
      this.pos += 1;
      const inner = this.parseUnary();
      return (item, root) => !inner(item, root);
    }
    if (this.text[this.pos] === '(') {
      this.pos += 1;
      const inner = this.parseOr();
      if (!this.eat(')')) throw new PathSyntaxError('Expected ) in filter');
      return inner;
    }
    return this.parseRelation();
  }

  private parseRelation(): Predicate {
    const left = this.parseOperand();
    this.skipSpaces();
    const operator = /^(==|!=|<=|>=|<|>|=~|nin\b|in\b)/.exec(this.text.slice(this.pos))?.[0];
    if (operator === undefined) {
      // A bare operand is an existence test: true when the path selects something (even null or false).
      return (item, root) => left(item, root) !== undefined;
    }
    this.pos += operator.length;
    if (operator === '=~') {
      const regex = this.parseRegex();
      return (item, root) => {
        const value = left(item, root);
        return typeof value === 'string' && regex.test(value);
      };
    }
    const right = this.parseOperand();
    const compare = COMPARATORS[operator]!;
    return (item, root) => compare(left(item, root), right(item, root));
  }

  private parseOperand(): Operand {
    this.skipSpaces();
    const { text } = this;
    const c = text[this.pos];
    if (c === '@' || c === '$') {
      const start = this.pos;
      this.pos += 1;
      while (this.pos < text.length && !/[\s=!<>&|)]/.test(text[this.pos]!)) {
        if (text[this.pos] === '[') this.pos = skipBracket(text, this.pos);
        else this.pos++;
      }
      const read = this.compilePath('$' + text.slice(start + 1, this.pos));
      const fromItem = c === '@';
      return (item, root) => read(fromItem ? item : root);
    }
    if (c === "'" || c === '"') {
      const end = skipQuoted(text, this.pos);
      const value = text.slice(this.pos + 1, end).replace(/\\(.)/g, '$1');
      this.pos = end + 1;
      return () => value;
    }
    if (c === '[') {
      const end = skipBracket(text, this.pos) - 1;
      const literal = parseJsonLiteral(text.slice(this.pos, end + 1).replace(/'/g, '"'));
      this.pos = end + 1;
      return () => literal;
    }
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true\b|false\b|null\b)/.exec(text.slice(this.pos))?.[0];
    if (literal === undefined) throw new PathSyntaxError(`Unexpected '${text.slice(this.pos)}' in filter`);
    this.pos += literal.length;
    const value = JSON.parse(literal) as Json;
    return () => value;
  }

  private parseRegex(): RegExp {
    this.skipSpaces();
    const { text } = this;
    if (text[this.pos] !== '/') throw new PathSyntaxError('Expected a /regex/ after =~');
    const end = skipQuoted(text, this.pos);
    const body = text.slice(this.pos + 1, end);
    this.pos = end + 1;
    const flags = /^[a-z]*/.exec(text.slice(this.pos))![0];
    this.pos += flags.length;
    try {
      return new RegExp(`^(?:${body})$`, flags.includes('i') ? 'i' : '');
    } catch {
      throw new PathSyntaxError(`Invalid regex /${body}/`);
    }
  }

  private eat(token: string): boolean {
    this.skipSpaces();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

function skipBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') i = skipQuoted(text, i);
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i + 1;
  }
  throw new PathSyntaxError('Unbalanced [ in filter');
}

function parseJsonLiteral(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new PathSyntaxError(`Invalid literal ${text} in filter`);
  }
}

type Comparator = (left: Json | undefined, right: Json | undefined) => boolean;

const COMPARATORS: Record<string, Comparator> = {
  '==': (a, b) => a !== undefined && b !== undefined && jsonEqual(a, b),
  '!=': (a, b) => !(a !== undefined && b !== undefined && jsonEqual(a, b)),
  '<': (a, b) => order(a, b, (n) => n < 0),
  '<=': (a, b) => order(a, b, (n) => n <= 0),
  '>': (a, b) => order(a, b, (n) => n > 0),
  '>=': (a, b) => order(a, b, (n) => n >= 0),
  in: (a, b) => a !== undefined && Array.isArray(b) && b.some((x) => jsonEqual(a, x)),
  nin: (a, b) => a !== undefined && Array.isArray(b) && !b.some((x) => jsonEqual(a, x)),
};

// Jayway orders two numbers or two strings; any other pairing is simply not less, equal or greater.
function order(a: Json | undefined, b: Json | undefined, accept: (n: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return accept(a - b);
  if (typeof a === 'string' && typeof b === 'string') return accept(a < b ? -1 : a > b ? 1 : 0);
  return false;
}
