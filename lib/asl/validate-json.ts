import type { Json, JsonObject } from './json.js';
import { jsonSyntaxError } from './validate-json-syntax.js';

/** A key that appears twice in one JSON object, with the location of that object ("/States", "/States/P/Branches/0/States"). */
export interface DuplicateKey { objectLocation: string; key: string }

export type ParsedJson =
  | { ok: true; value: Json; duplicates: DuplicateKey[] }
  | { ok: false; message: string; location?: string };

/**
 * JSON.parse keeps the last of two equal keys silently, but AWS reports a state declared twice as
 * DUPLICATE_STATE_NAME, so the definition text is read by this small parser, which notes repeated keys.
 */
export function parseJsonText(text: string): ParsedJson {
  try {
    JSON.parse(text);
  } catch (error) {
    const syntax = jsonSyntaxError(text);
    // Jackson stops after the first value and so has nothing to say about text after it.
    if (syntax === undefined) return { ok: false, message: error instanceof Error ? error.message : String(error) };
    return { ok: false, message: syntax.message, location: syntax.location };
  }
  const duplicates: DuplicateKey[] = [];
  const reader = new Reader(text, duplicates);
  const value = reader.value('');
  return { ok: true, value, duplicates };
}

// The text is already known to be valid JSON, so the reader does not re-check the grammar.
class Reader {
  private at = 0;
  constructor(private readonly text: string, private readonly duplicates: DuplicateKey[]) {}

  value(location: string): Json {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{') return this.object(location);
    if (c === '[') return this.array(location);
    if (c === '"') return this.string();
    return this.literal();
  }

  private object(location: string): JsonObject {
    const result: JsonObject = {};
    const seen = new Set<string>();
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      if (seen.has(key)) this.duplicates.push({ objectLocation: location, key });
      seen.add(key);
      this.skipSpace();
      this.at++; // ':'
      // defineProperty keeps "__proto__" an ordinary key, as JSON.parse does.
      Object.defineProperty(result, key, { value: this.value(`${location}/${key}`), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.text[this.at++] === '}') return result;
    }
  }

  private array(location: string): Json[] {
    const result: Json[] = [];
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return result;
    }
    for (;;) {
      result.push(this.value(`${location}/${result.length}`));
      this.skipSpace();
      if (this.text[this.at++] === ']') return result;
    }
  }

  private string(): string {
    const start = this.at;
    this.at++;
    while (this.text[this.at] !== '"') this.at += this.text[this.at] === '\\' ? 2 : 1;
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  private literal(): Json {
    const match = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.at, this.at + 400));
    const token = match?.[0] ?? '';
    this.at += token.length;
    return JSON.parse(token) as Json;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }
}
