/**
 * DescribeStateMachine's `variableReferences`: "A map of state name to a list of variables referenced
 * by that state. States that do not use variable references will not be shown in the response."
 *
 * What AWS counts, from its recordings (LocalStack's test_sfn_api_variable_references):
 * - JSONPath states: a `$name…` path wherever a path is read (InputPath, OutputPath, ItemsPath, every
 *   `…Path` field, including ItemReader.ReaderConfig.MaxItemsPath and a Choice rule's Variable and
 *   `…Path` operands), the value of every `.$` key (Parameters, ItemSelector, Assign…), and `$name`
 *   arguments of intrinsic functions, nested calls included. A value without `.$` is a plain string:
 *   `"bucketName": "$bucket"` in an ItemSelector references nothing.
 * - JSONata states: every `$name` a `{% %}` expression reads, except `$states`, JSONata's and Step
 *   Functions' own functions, and names the expression binds itself (`:=`, lambda parameters).
 * A state inside a Parallel branch or a Map's ItemProcessor is keyed by its own name (state names are
 * unique across a definition); the Map or Parallel state itself lists only what its own fields read.
 * Each list is sorted and names each variable once.
 */
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { IntrinsicArgument, IntrinsicCall } from './intrinsics/parse.js';
import { isIntrinsicCall, parseIntrinsic } from './intrinsics/parse.js';
import { compileJsonata } from './jsonata/compile.js';
import { isJsonataExpression, jsonataExpressionText } from './jsonata/index.js';
import { pathVariableName } from './variables.js';

type QueryLanguage = 'JSONPath' | 'JSONata';

/** undefined when no state references a variable: AWS then leaves the field out of the response. */
export function variableReferences(definition: JsonObject): Record<string, string[]> | undefined {
  const machineLanguage: QueryLanguage = definition['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath';
  const references: Record<string, string[]> = {};
  collectMachine(definition, machineLanguage, references);
  return Object.keys(references).length === 0 ? undefined : references;
}

function collectMachine(machine: JsonObject, machineLanguage: QueryLanguage, references: Record<string, string[]>): void {
  const states = machine['States'];
  if (!isJsonObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const language: QueryLanguage = state['QueryLanguage'] === 'JSONata' || (state['QueryLanguage'] === undefined && machineLanguage === 'JSONata') ? 'JSONata' : 'JSONPath';
    const names = new Set<string>();
    for (const [key, value] of Object.entries(state)) {
      if (key === 'Branches' && Array.isArray(value)) {
        for (const branch of value) if (isJsonObject(branch)) collectMachine(branch, machineLanguage, references);
      } else if ((key === 'ItemProcessor' || key === 'Iterator') && isJsonObject(value)) {
        collectMachine(value, machineLanguage, references);
      } else if (!IGNORED_FIELDS.has(key)) {
        collectField(key, value, language, names);
      }
    }
    // Java's String order: by UTF-16 code units, as JavaScript's default sort compares.
    if (names.size > 0) references[name] = [...names].sort();
  }
}

// Result is copied as written and Comment is prose; neither is ever read as a path or expression.
const IGNORED_FIELDS: ReadonlySet<string> = new Set(['Type', 'Comment', 'Result', 'Next', 'End', 'Default', 'Resource', 'QueryLanguage']);

function collectField(key: string, value: Json, language: QueryLanguage, names: Set<string>): void {
  if (language === 'JSONata') {
    collectJsonataTemplate(value, names);
    return;
  }
  if (typeof value === 'string') {
    if (key.endsWith('.$') || key.endsWith('Path') || key === 'Variable') collectPathOrIntrinsic(value, names);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectField('', item, language, names);
  } else if (isJsonObject(value)) {
    for (const [innerKey, item] of Object.entries(value)) collectField(innerKey, item, language, names);
  }
}

function collectPathOrIntrinsic(text: string, names: Set<string>): void {
  if (isIntrinsicCall(text)) {
    let call: IntrinsicCall;
    try {
      call = parseIntrinsic(text);
    } catch {
      return; // the validator refuses such a definition before anyone can describe it
    }
    collectIntrinsic(call, names);
    return;
  }
  const name = pathVariableName(text.trim());
  if (name !== undefined) names.add(name);
}

function collectIntrinsic(call: IntrinsicCall, names: Set<string>): void {
  for (const argument of call.args as readonly IntrinsicArgument[]) {
    if (argument.kind === 'call') collectIntrinsic(argument.call, names);
    else if (argument.kind === 'path') collectPathOrIntrinsic(argument.path, names);
  }
}

// ---------------------------------------------------------------- JSONata

function collectJsonataTemplate(value: Json, names: Set<string>): void {
  if (isJsonataExpression(value)) collectJsonata(jsonataExpressionText(value), names);
  else if (Array.isArray(value)) for (const item of value) collectJsonataTemplate(item, names);
  else if (isJsonObject(value)) for (const item of Object.values(value)) collectJsonataTemplate(item, names);
}

function collectJsonata(expressionText: string, names: Set<string>): void {
  const compilation = compileJsonata(expressionText);
  if (!compilation.ok) return;
  new JsonataScopes(names).visit(compilation.compiled.expression.ast(), new Set());
}

/** Names that are never workflow variables: `$states`, and the functions every expression can call. */
const NOT_VARIABLES: ReadonlySet<string> = new Set([
  'states',
  // JSONata 2.0 built-in functions.
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs',
  'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys',
  'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort',
  'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone', 'now', 'millis',
  // Functions Step Functions adds ("JSONata functions provided by Step Functions").
  'partition', 'range', 'hash', 'uuid', 'parse',
]);

interface AstNode {
  type?: unknown;
  value?: unknown;
  [key: string]: unknown;
}

/** Walks a JSONata AST, keeping track of the names each block and lambda binds for itself. */
class JsonataScopes {
  private readonly seen = new Set<object>();
  constructor(private readonly names: Set<string>) {}

  visit(node: unknown, bound: ReadonlySet<string>): void {
    if (Array.isArray(node)) {
      for (const item of node) this.visit(item, bound);
      return;
    }
    if (typeof node !== 'object' || node === null || this.seen.has(node)) return;
    this.seen.add(node);
    const ast = node as AstNode;
    switch (ast.type) {
      case 'variable':
        this.reference(ast.value, bound);
        break;
      case 'block': {
        // `$x := …` binds $x for the rest of its block, after its own right-hand side is read.
        const scope = new Set(bound);
        for (const expression of asArray(ast['expressions'])) this.visitBinding(expression, scope);
        break;
      }
      case 'bind':
        this.visitBinding(ast, new Set(bound));
        break;
      case 'lambda': {
        const scope = new Set(bound);
        for (const parameter of asArray(ast['arguments'])) if (isVariable(parameter)) scope.add(parameter.value);
        this.visit(ast['body'], scope);
        break;
      }
      case 'path': {
        // `@$item` and `#$index` bind names for the steps that follow them.
        const scope = new Set(bound);
        for (const step of asArray(ast['steps'])) {
          const { focus, index } = step as AstNode;
          if (typeof focus === 'string') scope.add(focus);
          if (typeof index === 'string') scope.add(index);
        }
        this.visitChildren(ast, scope);
        break;
      }
      default:
        this.visitChildren(ast, bound);
    }
  }

  private visitBinding(node: unknown, scope: Set<string>): void {
    const ast = node as AstNode | null;
    if (ast !== null && typeof ast === 'object' && ast.type === 'bind') {
      this.visit(ast['rhs'], scope);
      const lhs = ast['lhs'];
      if (isVariable(lhs)) scope.add(lhs.value);
      return;
    }
    this.visit(node, scope);
  }

  private visitChildren(ast: AstNode, bound: ReadonlySet<string>): void {
    for (const [key, child] of Object.entries(ast)) if (key !== 'position') this.visit(child, bound);
  }

  private reference(value: unknown, bound: ReadonlySet<string>): void {
    // '' is `$` (the context) and '$' is `$$` (the input root).
    if (typeof value !== 'string' || value === '' || value === '$') return;
    if (NOT_VARIABLES.has(value) || bound.has(value)) return;
    this.names.add(value);
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isVariable(node: unknown): node is { type: 'variable'; value: string } {
  return typeof node === 'object' && node !== null && (node as AstNode).type === 'variable' && typeof (node as AstNode).value === 'string';
}
