// JSONPath as Step Functions evaluates it. AWS runs Jayway JsonPath, so its semantics are the model here:
// a *definite* path (only names and single indexes) yields one value or nothing; an *indefinite* one
// (wildcards, deep scan, filters, slices, unions) yields the list of its matches, possibly empty.
// `$$` reads the context object, `$name` a workflow variable.
import { StatesError } from '../errors.js';
import { isJsonObject } from '../json.js';
import type { Json, JsonObject } from '../json.js';
import { pathVariableName } from '../variables.js';
import { parseFilter, type Predicate } from './json-path-filter.js';
import { PathSyntaxError } from './path-syntax-error.js';
import type { PathScope } from './scope.js';

type Segment =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'indexes'; readonly indexes: readonly number[] }
  | { readonly kind: 'slice'; readonly start: number | undefined; readonly end: number | undefined }
  | { readonly kind: 'filter'; readonly test: Predicate }
  | { readonly kind: 'scan'; readonly then: Segment }
  | { readonly kind: 'length' };

/** A path parsed once: evaluating it never looks at the text again. */
interface CompiledPath {
  readonly text: string;
  readonly root: 'input' | 'context' | 'variable';
  readonly variable: string;
  readonly segments: readonly Segment[];
  readonly definite: boolean;
}

/** What a path selects in a scope: undefined when a definite path matches nothing (see readPath). */
export type PathReader = (scope: PathScope) => Json | undefined;

// Paths come from definitions, so the set is bounded by the definitions in use; a Map lookup is far
// cheaper than re-parsing on every state of a 1000-state chain or every item of a large Map.
const compiled = new Map<string, CompiledPath>();
const readers = new Map<string, PathReader>();

function compile(path: string): CompiledPath {
  let result = compiled.get(path);
  if (result === undefined) {
    result = new PathParser(path).parsePath();
    compiled.set(path, result);
  }
  return result;
}

function tryCompile(path: string): CompiledPath | undefined {
  try {
    return compile(path);
  } catch (error) {
    if (error instanceof PathSyntaxError) return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Public API

/**
 * The value `path` selects: `$...` from the input, `$$...` from the context object, `$name...` from a
 * variable. undefined when a definite path matches nothing; an array (maybe empty) for an indefinite path.
 * A variable that is not in scope is a States.Runtime failure.
 */
export function readPath(path: string, scope: PathScope): Json | undefined {
  return pathReader(path)(scope);
}

/**
 * readPath with the text looked up once: callers that read the same path for every item or
 * transition (payload templates, intrinsic arguments, Choice rules) keep the reader. A path that does
 * not parse gives a reader that fails as readPath does, when it is read.
 */
export function pathReader(path: string): PathReader {
  let reader = readers.get(path);
  if (reader === undefined) {
    const compiledPath = tryCompile(path);
    // Not cached: compileOrFail throws the States.Runtime failure readPath has always thrown for it.
    if (compiledPath === undefined) {
      return (scope) => {
        const failing = compileOrFail(path);
        return evaluate(failing, rootOf(failing, scope));
      };
    }
    reader = readerOf(compiledPath);
    readers.set(path, reader);
  }
  return reader;
}

// Most paths in definitions are `$` or names under `$` (`$.a.b`): read those without the general
// evaluator's per-segment dispatch, which is most of a read's cost in a cold process.
function readerOf(path: CompiledPath): PathReader {
  const names = path.root === 'input' && path.segments.every((s) => s.kind === 'name') ? path.segments.map((s) => (s as { name: string }).name) : undefined;
  if (names === undefined) return (scope) => evaluate(path, rootOf(path, scope));
  if (names.length === 0) return (scope) => scope.input;
  if (names.length === 1) {
    const name = names[0]!;
    return (scope) => {
      const node = scope.input;
      return isJsonObject(node) ? node[name] : undefined;
    };
  }
  return (scope) => {
    let node: Json | undefined = scope.input;
    for (let i = 0; i < names.length; i++) {
      if (!isJsonObject(node)) return undefined;
      node = node[names[i]!];
    }
    return node;
  };
}

/** Whether the path can select several nodes, so that its value is the list of matches. */
export function isIndefinitePath(path: string): boolean {
  return compileOrFail(path).definite === false;
}

/** Whether `path` is JSONPath that Step Functions accepts in a Path field (`$`, `$$` or `$variable` rooted). */
export function isValidPath(path: string): boolean {
  return tryCompile(path) !== undefined;
}

/**
 * Whether `path` is a Reference Path (ASL spec): it identifies a single node, so only names and single
 * array indexes follow the root. ResultPath additionally needs the `$` root; that check is the caller's.
 */
export function isValidReferencePath(path: string): boolean {
  const compiledPath = tryCompile(path);
  return compiledPath !== undefined && compiledPath.segments.every((s) => s.kind === 'name' || s.kind === 'index');
}

/**
 * The names and indexes of a Reference Path rooted at `$` (`$.a[0]` → ['a', 0]); undefined for any
 * other path. ResultPath writes along these.
 */
export function referencePathSteps(path: string): (string | number)[] | undefined {
  const compiledPath = tryCompile(path);
  if (compiledPath === undefined || compiledPath.root !== 'input') return undefined;
  const steps: (string | number)[] = [];
  for (const segment of compiledPath.segments) {
    if (segment.kind === 'name') steps.push(segment.name);
    else if (segment.kind === 'index') steps.push(segment.index);
    else return undefined;
  }
  return steps;
}

/** Jayway's normal form of a path, as AWS prints it in causes: `$.a[0].b` → `$['a'][0]['b']`. */
export function pathForCause(path: string): string {
  const compiledPath = compileOrFail(path);
  return normalise(compiledPath, compiledPath.segments.length);
}

/**
 * Why a definite path found nothing, in Jayway's words (what AWS puts after "Invalid path '...' : ").
 * Callers ask only after readPath returned undefined, so the happy path never pays for it.
 */
export function describePathMiss(path: string, scope: PathScope): string {
  const compiledPath = compileOrFail(path);
  let node: Json | undefined = rootOf(compiledPath, scope);
  const { segments } = compiledPath;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment.kind === 'name' && isJsonObject(node) && node[segment.name] === undefined && !last) {
      return `Missing property in path ${normalise(compiledPath, i + 1)}`;
    }
    node = step(node, segment);
    if (node === undefined) break;
  }
  return `No results for path: ${normalise(compiledPath, segments.length)}`;
}

/** The data a path is applied to (input, context object or variable value), for causes that print it. */
export function pathRootValue(path: string, scope: PathScope): Json {
  return rootOf(compileOrFail(path), scope);
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

function compileOrFail(path: string): CompiledPath {
  try {
    return compile(path);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw StatesError.runtime(`Invalid path '${path}' : ${error.message}`);
    throw error;
  }
}

function rootOf(path: CompiledPath, scope: PathScope): Json {
  if (path.root === 'input') return scope.input;
  if (path.root === 'context') return scope.context;
  const value = scope.variables.get(path.variable);
  if (value === undefined) {
    // Not recorded from AWS (no case references an unassigned variable in JSONPath mode); worded after
    // the other Invalid path causes.
    throw StatesError.runtime(`Invalid path '${path.text}' : The variable '$${path.variable}' is not defined`);
  }
  return value;
}

function evaluate(path: CompiledPath, root: Json): Json | undefined {
  if (path.definite) {
    let node: Json | undefined = root;
    for (const segment of path.segments) {
      node = step(node, segment);
      if (node === undefined) return undefined;
    }
    return node;
  }
  let nodes: Json[] = [root];
  for (let i = 0; i < path.segments.length; i++) {
    const segment = path.segments[i]!;
    const next: Json[] = [];
    const leaf = i === path.segments.length - 1;
    for (const node of nodes) expand(node, segment, root, leaf, next);
    nodes = next;
  }
  return nodes;
}

/** One definite step: a name, an index, a merge of names at the leaf, or length(). */
function step(node: Json | undefined, segment: Segment): Json | undefined {
  switch (segment.kind) {
    case 'name':
      return isJsonObject(node) ? node[segment.name] : undefined;
    case 'index': {
      if (!Array.isArray(node)) return undefined;
      const index = segment.index < 0 ? node.length + segment.index : segment.index;
      return node[index];
    }
    case 'names': {
      // Jayway merges several properties named at the leaf into one object, skipping absent ones.
      if (!isJsonObject(node)) return undefined;
      const merged: JsonObject = {};
      for (const name of segment.names) {
        const value = node[name];
        if (value !== undefined) merged[name] = value;
      }
      return merged;
    }
    case 'length':
      if (Array.isArray(node)) return node.length;
      if (isJsonObject(node)) return Object.keys(node).length;
      if (typeof node === 'string') return node.length;
      return undefined;
    default:
      return undefined;
  }
}

function expand(node: Json, segment: Segment, root: Json, leaf: boolean, out: Json[]): void {
  switch (segment.kind) {
    case 'name':
    case 'index':
    case 'length': {
      const value = step(node, segment);
      if (value !== undefined) out.push(value);
      return;
    }
    case 'names':
      if (leaf) {
        const value = step(node, segment);
        if (value !== undefined) out.push(value);
      } else if (isJsonObject(node)) {
        for (const name of segment.names) {
          const value = node[name];
          if (value !== undefined) out.push(value);
        }
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isJsonObject(node)) out.push(...Object.values(node));
      return;
    case 'indexes':
      if (!Array.isArray(node)) return;
      for (const index of segment.indexes) {
        const value = node[index < 0 ? node.length + index : index];
        if (value !== undefined) out.push(value);
      }
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const [from, to] = sliceBounds(segment.start, segment.end, node.length);
      for (let i = from; i < to; i++) out.push(node[i]!);
      return;
    }
    case 'filter':
      // Jayway applies a filter to each element of an array, and to an object as a whole.
      if (Array.isArray(node)) {
        for (const item of node) if (segment.test(item, root)) out.push(item);
      } else if (isJsonObject(node) && segment.test(node, root)) {
        out.push(node);
      }
      return;
    case 'scan':
      scan(node, segment.then, root, out);
      return;
  }
}

/** `..`: the following selector applied to the node and to every descendant, parents before children. */
function scan(node: Json, then: Segment, root: Json, out: Json[]): void {
  if (then.kind === 'filter') {
    // Jayway tests a scanned filter against every object in the tree.
    if (isJsonObject(node) && then.test(node, root)) out.push(node);
  } else {
    expand(node, then, root, true, out);
  }
  if (Array.isArray(node)) for (const child of node) scan(child, then, root, out);
  else if (isJsonObject(node)) for (const key of Object.keys(node)) scan(node[key]!, then, root, out);
}

function sliceBounds(start: number | undefined, end: number | undefined, length: number): [number, number] {
  const clamp = (n: number) => Math.min(Math.max(n < 0 ? length + n : n, 0), length);
  return [start === undefined ? 0 : clamp(start), end === undefined ? length : clamp(end)];
}

function normalise(path: CompiledPath, count: number): string {
  const head = path.root === 'variable' ? `$${path.variable}` : '$';
  let text = head;
  for (let i = 0; i < count; i++) text += segmentText(path.segments[i]!);
  return text;
}

function segmentText(segment: Segment): string {
  switch (segment.kind) {
    case 'name':
      return `['${segment.name}']`;
    case 'index':
      return `[${segment.index}]`;
    case 'wildcard':
      return '[*]';
    case 'names':
      return `[${segment.names.map((n) => `'${n}'`).join(',')}]`;
    case 'indexes':
      return `[${segment.indexes.join(',')}]`;
    case 'slice':
      return `[${segment.start ?? ''}:${segment.end ?? ''}]`;
    case 'filter':
      return '[?]';
    case 'scan':
      return `..${segmentText(segment.then)}`;
    case 'length':
      return '.length()';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

class PathParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parsePath(): CompiledPath {
    const { text } = this;
    if (!text.startsWith('$')) throw new PathSyntaxError(`Path must start with $`);
    let root: CompiledPath['root'] = 'input';
    let variable = '';
    this.pos = 1;
    if (text.startsWith('$$')) {
      root = 'context';
      this.pos = 2;
    } else {
      const name = pathVariableName(text);
      if (name !== undefined) {
        root = 'variable';
        variable = name;
        this.pos = 1 + variable.length;
      }
    }
    const segments: Segment[] = [];
    while (this.pos < text.length) segments.push(this.parseSegment());
    const definite = segments.every((s) => s.kind === 'name' || s.kind === 'index' || s.kind === 'length' || s.kind === 'names')
      && segments.every((s, i) => s.kind !== 'names' || i === segments.length - 1);
    return { text, root, variable, segments, definite };
  }

  private parseSegment(): Segment {
    const { text } = this;
    if (text.startsWith('..', this.pos)) {
      this.pos += 2;
      if (text[this.pos] === '[') return { kind: 'scan', then: this.parseBracket() };
      return { kind: 'scan', then: this.parseDotName() };
    }
    if (text[this.pos] === '.') {
      this.pos += 1;
      return this.parseDotName();
    }
    if (text[this.pos] === '[') return this.parseBracket();
    throw new PathSyntaxError(`Unexpected character '${text[this.pos]}' at position ${this.pos}`);
  }

  private parseDotName(): Segment {
    const { text } = this;
    if (text[this.pos] === '*') {
      this.pos += 1;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < text.length && text[this.pos] !== '.' && text[this.pos] !== '[' && text[this.pos] !== '(') this.pos++;
    const name = text.slice(start, this.pos);
    if (name === '' || /\s/.test(name)) throw new PathSyntaxError(`Invalid property name at position ${start}`);
    if (text[this.pos] === '(') {
      if (name !== 'length' || !text.startsWith('()', this.pos) || this.pos + 2 !== text.length) {
        throw new PathSyntaxError(`Function ${name} is not supported`);
      }
      this.pos += 2;
      return { kind: 'length' };
    }
    return { kind: 'name', name };
  }

  private parseBracket(): Segment {
    const { text } = this;
    this.pos += 1; // [
    this.skipSpaces();
    const c = text[this.pos];
    let segment: Segment;
    if (c === '*') {
      this.pos += 1;
      segment = { kind: 'wildcard' };
    } else if (c === "'" || c === '"') {
      const names = [this.parseQuoted()];
      for (this.skipSpaces(); text[this.pos] === ','; this.skipSpaces()) {
        this.pos += 1;
        this.skipSpaces();
        names.push(this.parseQuoted());
      }
      segment = names.length === 1 ? { kind: 'name', name: names[0]! } : { kind: 'names', names };
    } else if (c === '?') {
      segment = this.parseFilter();
    } else {
      segment = this.parseIndexOrSlice();
    }
    this.skipSpaces();
    if (text[this.pos] !== ']') throw new PathSyntaxError(`Expected ] at position ${this.pos}`);
    this.pos += 1;
    return segment;
  }

  private parseIndexOrSlice(): Segment {
    const { text } = this;
    const end = text.indexOf(']', this.pos);
    if (end < 0) throw new PathSyntaxError(`Unterminated [ at position ${this.pos}`);
    const body = text.slice(this.pos, end).replace(/\s/g, '');
    this.pos = end;
    const integer = (s: string) => {
      if (!/^-?\d+$/.test(s)) throw new PathSyntaxError(`Invalid array index '${s}'`);
      return Number(s);
    };
    if (body.includes(':')) {
      const parts = body.split(':');
      if (parts.length > 2) throw new PathSyntaxError(`Slice steps are not supported: '${body}'`);
      const [from, to] = parts as [string, string];
      return { kind: 'slice', start: from === '' ? undefined : integer(from), end: to === '' ? undefined : integer(to) };
    }
    const indexes = body.split(',').map(integer);
    return indexes.length === 1 ? { kind: 'index', index: indexes[0]! } : { kind: 'indexes', indexes };
  }

  private parseQuoted(): string {
    const { text } = this;
    const quote = text[this.pos];
    let value = '';
    for (this.pos += 1; this.pos < text.length; this.pos++) {
      const c = text[this.pos]!;
      if (c === '\\' && this.pos + 1 < text.length) {
        // AWS (Jayway) keeps the backslash in the name; it only stops the next quote from closing it.
        value += c + text[++this.pos];
      } else if (c === quote) {
        this.pos += 1;
        return value;
      } else {
        value += c;
      }
    }
    throw new PathSyntaxError('Unterminated quoted name');
  }

  private parseFilter(): Segment {
    const { text } = this;
    this.pos += 1; // ?
    this.skipSpaces();
    if (text[this.pos] !== '(') throw new PathSyntaxError(`Expected ( after ? at position ${this.pos}`);
    const { test, close } = parseFilter(text, this.pos, compileSubPath);
    this.pos = close + 1;
    return { kind: 'filter', test };
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

// Inside a filter, `@…` and `$…` are paths of their own, read from the current item or the root.
function compileSubPath(pathText: string): (node: Json) => Json | undefined {
  const path = new PathParser(pathText).parsePath();
  return (node) => evaluate(path, node);
}
