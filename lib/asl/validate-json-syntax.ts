/**
 * Why definition text is not JSON, in the words AWS uses. Step Functions reads definitions with
 * Jackson (2.13), and ValidateStateMachineDefinition hands Jackson's exception back as it is:
 *
 *   message:  Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
 *              at [Source: (String)"not a definition"; line: 1, column: 4]
 *   location: [Source: (String)"not a definition"; line: 1, column: 4]
 *
 * So this is a small reader that fails where Jackson's ReaderBasedJsonParser fails, with its
 * message and its position: the line, and the column just after the character it last consumed.
 * It only explains failures; JSON.parse decides whether the text is JSON at all.
 */

export interface JsonSyntaxError {
  /** Jackson's own message, without the location; AWS quotes this form for execution input. */
  readonly problem: string;
  /** `[Source: (String)"…"; line: L, column: C]`. */
  readonly location: string;
  /** The problem, a new line and " at " the location: Jackson's getMessage(). */
  readonly message: string;
}

const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
// Jackson quotes at most this much of the source, then says how much it left out.
const MAX_SNIPPET = 500;
const MAX_TOKEN_LENGTH = 256;

type ContextType = 'ROOT' | 'Array' | 'Object';
interface Context { type: ContextType; line: number; column: number }

class Failure {
  constructor(readonly problem: string, readonly line: number, readonly column: number) {}
}

/** undefined when the reader finds nothing wrong (the text is JSON, or holds only white space). */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new Reader(text).document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const location = `[Source: ${sourceDescription(text)}; line: ${error.line}, column: ${error.column}]`;
    return { problem: error.problem, location, message: `${error.problem}\n at ${location}` };
  }
}

function sourceDescription(text: string): string {
  const snippet = text.slice(0, MAX_SNIPPET);
  // Control characters other than CR and LF are written as \uXXXX.
  const shown = snippet.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  const truncated = text.length > MAX_SNIPPET ? `[truncated ${text.length - MAX_SNIPPET} chars]` : '';
  return `(String)"${shown}"${truncated}`;
}

/** Jackson's _getCharDesc. */
function describeChar(code: number): string {
  if (isIsoControl(code)) return `(CTRL-CHAR, code ${code})`;
  const c = String.fromCharCode(code);
  if (code > 255) return `'${c}' (code ${code} / 0x${code.toString(16)})`;
  return `'${c}' (code ${code})`;
}

function isIsoControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

// Java's Character.isJavaIdentifierStart and isJavaIdentifierPart, which Jackson uses to decide
// how much of an unknown word to quote.
const JAVA_IDENTIFIER_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const JAVA_IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\p{Cf}\u0000-\u0008\u000e-\u001b\u007f-\u009f]/u;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

class Reader {
  private at = 0;
  private line = 1;
  private lineStart = 0;
  private readonly contexts: Context[] = [{ type: 'ROOT', line: 1, column: 0 }];

  constructor(private readonly text: string) {}

  document(): void {
    let c = this.nextNonSpace();
    if (c === undefined) return;
    this.value(c);
    // Trailing text: Jackson would read it as further root-level values.
    for (c = this.nextNonSpace(); c !== undefined; c = this.nextNonSpace()) {
      if (c === ']' || c === '}') this.mismatchedClose(c);
      this.value(c);
    }
  }

  private fail(problem: string): never {
    throw new Failure(problem, this.line, this.at - this.lineStart + 1);
  }

  private unexpected(c: string, comment: string): never {
    this.fail(`Unexpected character (${describeChar(c.charCodeAt(0))}): ${comment}`);
  }

  private endOfInput(what: string): never {
    this.fail(`Unexpected end-of-input${what}`);
  }

  private get context(): Context {
    return this.contexts[this.contexts.length - 1] ?? { type: 'ROOT', line: 1, column: 0 };
  }

  private startOf(context: Context): string {
    return `[Source: ${sourceDescription(this.text)}; line: ${context.line}, column: ${context.column}]`;
  }

  /** The next character that is not white space, consumed; undefined at the end of the text. */
  private nextNonSpace(): string | undefined {
    while (this.at < this.text.length) {
      const c = this.text.charAt(this.at++);
      const code = c.charCodeAt(0);
      if (code > 0x20) {
        if (c === '/') this.unexpected('/', "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
        return c;
      }
      if (c === '\n') this.newLine();
      else if (c === '\r') this.carriageReturn();
      else if (c !== ' ' && c !== '\t') this.fail(`Illegal character (${describeChar(code)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
    }
    return undefined;
  }

  private newLine(): void {
    this.line++;
    this.lineStart = this.at;
  }

  private carriageReturn(): void {
    if (this.text.charAt(this.at) === '\n') this.at++;
    this.newLine();
  }

  private nextInContainer(): string {
    const c = this.nextNonSpace();
    if (c === undefined) {
      const { type } = this.context;
      this.endOfInput(`: expected close marker for ${type} (start marker at ${this.startOf(this.context)})`);
    }
    return c;
  }

  private afterSeparator(): string {
    const c = this.nextNonSpace();
    if (c === undefined) this.endOfInput(` within/between ${this.context.type} entries`);
    return c;
  }

  private mismatchedClose(c: string): never {
    const context = this.context;
    const expected = c === ']' ? '}' : ']';
    this.fail(`Unexpected close marker '${c}': expected '${expected}' (for ${context.type} starting at ${this.startOf(context)})`);
  }

  /** Reads one value whose first character `c` was just consumed. */
  private value(c: string): void {
    const column = this.at - this.lineStart;
    switch (c) {
      case '"':
        this.string('string value');
        return;
      case '[':
        this.container('Array', column);
        return;
      case '{':
        this.container('Object', column);
        return;
      case '}':
        this.unexpected(c, 'expected a value');
      case 't':
        this.matchWord('true');
        return;
      case 'f':
        this.matchWord('false');
        return;
      case 'n':
        this.matchWord('null');
        return;
      case '-':
        this.negativeNumber();
        return;
      default:
        if (isDigit(c)) this.positiveNumber(c);
        else this.oddValue(c);
    }
  }

  private container(type: 'Array' | 'Object', column: number): void {
    this.contexts.push({ type, line: this.line, column });
    const close = type === 'Array' ? ']' : '}';
    for (let count = 0; ; count++) {
      let c = this.nextInContainer();
      if (c === ']' || c === '}') {
        if (c !== close) this.mismatchedClose(c);
        this.contexts.pop();
        return;
      }
      if (count > 0) {
        if (c !== ',') this.unexpected(c, `was expecting comma to separate ${type} entries`);
        c = this.afterSeparator();
      }
      if (type === 'Object') {
        if (c !== '"') this.unexpected(c, 'was expecting double-quote to start field name');
        this.string('name');
        c = this.afterSeparator();
        if (c !== ':') this.unexpected(c, 'was expecting a colon to separate field name and value');
        c = this.afterSeparator();
      }
      this.value(c);
    }
  }

  /** The rest of a string whose opening quote was consumed; `what` is "name" or "string value". */
  private string(what: 'name' | 'string value'): void {
    for (;;) {
      if (this.at >= this.text.length) {
        this.endOfInput(what === 'name' ? ' in field name' : ': was expecting closing quote for a string value');
      }
      const c = this.text.charAt(this.at++);
      if (c === '"') return;
      if (c === '\\') this.escape();
      else if (c.charCodeAt(0) < 0x20) this.fail(`Illegal unquoted character (${describeChar(c.charCodeAt(0))}): has to be escaped using backslash to be included in ${what}`);
    }
  }

  private escape(): void {
    if (this.at >= this.text.length) this.endOfInput(' in character escape sequence');
    const c = this.text.charAt(this.at++);
    if ('btnfr"/\\'.includes(c)) return;
    if (c !== 'u') this.fail(`Unrecognized character escape ${describeChar(c.charCodeAt(0))}`);
    for (let i = 0; i < 4; i++) {
      if (this.at >= this.text.length) this.endOfInput(' in character escape sequence');
      const h = this.text.charAt(this.at++);
      if (!/[0-9a-fA-F]/.test(h)) this.unexpected(h, 'expected a hex-digit for character escape sequence');
    }
  }

  /** `word` begins at the character just consumed; Jackson's _matchToken. */
  private matchWord(word: string): void {
    for (let i = 1; i < word.length; i++) {
      if (this.text.charAt(this.at) !== word[i] || this.at >= this.text.length) this.invalidToken(word.slice(0, i));
      this.at++;
    }
    const next = this.text.charAt(this.at);
    if (next !== '' && next >= '0' && next !== ']' && next !== '}' && JAVA_IDENTIFIER_PART.test(next)) this.invalidToken(word);
  }

  /** Quotes the word being read, extended by the identifier characters that follow it. */
  private invalidToken(matched: string): never {
    let token = matched;
    while (this.at < this.text.length && JAVA_IDENTIFIER_PART.test(this.text.charAt(this.at))) {
      token += this.text.charAt(this.at++);
      if (token.length >= MAX_TOKEN_LENGTH) {
        token += '...';
        break;
      }
    }
    this.fail(`Unrecognized token '${token}': was expecting ${VALUE_LIST}`);
  }

  private oddValue(c: string): never {
    if (c === 'N') {
      this.matchWord('NaN');
      this.fail("Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow");
    }
    if (c === 'I') {
      this.matchWord('Infinity');
      this.fail("Non-standard token 'Infinity': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow");
    }
    if (c === '+') {
      if (this.at >= this.text.length) this.endOfInput(' in a Number value');
      this.invalidNumberStart(this.text.charAt(this.at++));
    }
    if (JAVA_IDENTIFIER_START.test(c)) this.invalidToken(c);
    this.unexpected(c, `expected a valid value ${VALUE_LIST}`);
  }

  private invalidNumberStart(c: string): never {
    this.fail(`Unexpected character (${describeChar(c.charCodeAt(0))}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`);
  }

  private negativeNumber(): void {
    if (this.at >= this.text.length) this.endOfInput('No digit following minus sign');
    const c = this.text.charAt(this.at);
    if (!isDigit(c)) {
      this.at++;
      this.invalidNumberStart(c);
    }
    this.at++;
    this.positiveNumber(c);
  }

  /**
   * Digits, then an optional fraction and exponent. Jackson reads most numbers on a fast path that,
   * when a fraction or exponent has no digits, reports the position just after the '.' (or the 'e');
   * a number starting with 0 takes its slow path, which reports the position after the character
   * that stopped it.
   */
  private positiveNumber(first: string): void {
    const slow = first === '0';
    if (slow && isDigit(this.text.charAt(this.at))) this.fail('Invalid numeric value: Leading zeroes not allowed');
    let p = this.at;
    while (isDigit(this.text.charAt(p))) p++;
    if (p >= this.text.length) {
      this.at = p;
      return;
    }
    let c = this.text.charAt(p++);
    const badNumber = (problem: string): never => {
      if (slow) this.at = p;
      this.fail(`Unexpected character (${describeChar(c.charCodeAt(0))}) in numeric value: ${problem}`);
    };
    if (c === '.' || c === 'e' || c === 'E') {
      this.at = p;
      if (c === '.') {
        let digits = 0;
        for (;;) {
          if (p >= this.text.length) {
            this.at = p;
            if (digits === 0) this.fail("Unexpected character ('.' (code 46)) in numeric value: Decimal point not followed by a digit");
            return;
          }
          c = this.text.charAt(p++);
          if (!isDigit(c)) break;
          digits++;
        }
        if (digits === 0) badNumber('Decimal point not followed by a digit');
      }
      if (c === 'e' || c === 'E') {
        if (p >= this.text.length) this.exponentAtEnd();
        c = this.text.charAt(p++);
        if (c === '-' || c === '+') {
          if (p >= this.text.length) this.exponentAtEnd();
          c = this.text.charAt(p++);
        }
        let digits = 0;
        while (isDigit(c)) {
          digits++;
          if (p >= this.text.length) {
            this.at = p;
            return;
          }
          c = this.text.charAt(p++);
        }
        if (digits === 0) badNumber('Exponent indicator not followed by a digit');
      }
    }
    this.at = p - 1;
    if (this.context.type === 'ROOT') this.rootSpace();
  }

  private exponentAtEnd(): never {
    this.at = this.text.length;
    this.endOfInput('expected a digit for number exponent');
  }

  /** A number at the root must be followed by white space or the end of the text. */
  private rootSpace(): void {
    const c = this.text.charAt(this.at);
    if (c === '') return;
    this.at++;
    if (c === ' ' || c === '\t') return;
    if (c === '\r') return this.carriageReturn();
    if (c === '\n') return this.newLine();
    this.unexpected(c, 'Expected space separating root-level values');
  }
}
