/**
 * Static checks of a definition, as AWS runs them in CreateStateMachine, UpdateStateMachine and
 * ValidateStateMachineDefinition: JSON syntax, the schema of every state type in its query language,
 * and the graph (every Next names a state of the same scope, every state is reachable, some state ends).
 * Codes are AWS's (API reference, ValidateStateMachineDefinitionDiagnostic); message texts follow
 * AWS's where they are known from recorded rejections.
 */
import type { JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import type { Diagnostic, Node, QueryLanguage } from './validate-context.js';
import { Findings, child, expectEnum, expectInteger, expectString, rejectUnknownFields, requireAllFields } from './validate-context.js';
import { parseJsonText } from './validate-json.js';
import type { Transition } from './validate-states.js';
import { checkNestedMachineFields, checkState } from './validate-states.js';

export type { Diagnostic } from './validate-context.js';

const NOT_AN_OBJECT: Diagnostic = { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' };

const TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set(['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage']);

/** Parses and checks definition text; no ERROR diagnostic means AWS would accept it. */
export function validateDefinition(
  definitionText: string,
  options: { type?: 'STANDARD' | 'EXPRESS' } = {},
): { definition?: JsonObject; diagnostics: Diagnostic[] } {
  if (definitionText === '') {
    return { diagnostics: [{ severity: 'ERROR', code: 'MISSING_DESCRIPTION', message: 'Received a null or empty workflow input.' }] };
  }
  // Text holding only white space reads as no value at all, which AWS reports as it does any value
  // that is not an object (test_sfn_api_validation: EMPTY_STRING, a single space).
  if (definitionText.trim() === '') return { diagnostics: [NOT_AN_OBJECT] };
  const parsed = parseJsonText(definitionText);
  if (!parsed.ok) {
    const { message, location } = parsed;
    return { diagnostics: [location === undefined ? { severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message } : { severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message, location }] };
  }
  if (!isJsonObject(parsed.value)) return { diagnostics: [NOT_AN_OBJECT] };
  const definition = parsed.value;
  const root: Node = { value: definition, location: '' };

  const probe = new Findings(options.type ?? 'STANDARD', 'JSONPath');
  const language = (expectEnum(probe, root, 'QueryLanguage', ['JSONPath', 'JSONata']) ?? 'JSONPath') as QueryLanguage;
  const findings = new Findings(options.type ?? 'STANDARD', language);
  findings.diagnostics.push(...probe.diagnostics);

  rejectUnknownFields(findings, { value: definition, location: '/' }, TOP_LEVEL_FIELDS);
  expectString(findings, root, 'Comment');
  expectEnum(findings, root, 'Version', ['1.0']);
  expectInteger(findings, root, 'TimeoutSeconds', 1, 99_999_999);

  const stateNames = new Map<string, string>();
  for (const duplicate of parsed.duplicates) {
    if (duplicate.objectLocation.endsWith('/States')) {
      findings.error('DUPLICATE_STATE_NAME', `Duplicate State name: ${duplicate.key}`, `${duplicate.objectLocation}/${duplicate.key}`);
    }
  }
  const scopes: Scope[] = [];
  checkMachine(findings, root, stateNames, scopes);
  // The graph is only examined once the schema holds: a state without Next or End already failed,
  // and reporting "no terminal state" for it as well would say the same thing twice.
  if (findings.diagnostics.every((d) => d.severity !== 'ERROR')) for (const scope of scopes) checkGraph(findings, scope);
  return { definition, diagnostics: findings.diagnostics };
}

/** AWS's InvalidDefinition message: every error, "CODE: message at location", joined inside quotes. */
export function invalidDefinitionMessage(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'ERROR');
  // A JSON syntax error's message already ends with Jackson's " at [Source: …]" location.
  const parts = errors.map((d) => `${d.code}: ${d.message}${d.location === undefined || d.code === 'INVALID_JSON_DESCRIPTION' ? '' : ` at ${d.location}`}`);
  return `Invalid State Machine Definition: '${parts.join(', ')}'`;
}

/**
 * One scope: the machine itself, a Parallel branch or a Map's ItemProcessor. Transitions stay inside
 * their scope, so a Next naming a state of another scope is a missing target here. State names are
 * unique across the whole definition (ASL spec), hence the one `stateNames` map for every scope.
 */
function checkMachine(findings: Findings, machine: Node, stateNames: Map<string, string>, scopes: Scope[]): void {
  // AWS names every missing field of a machine in one finding, States first (test_sfn_api_validation: EMPTY_DICT).
  if (!requireAllFields(findings, { value: machine.value, location: machine.location || '/' }, ['States', 'StartAt'])) return;
  const startAt = expectString(findings, machine, 'StartAt');
  const statesValue = machine.value['States'];
  const statesLocation = child(machine, 'States');
  if (!isJsonObject(statesValue)) {
    findings.schema("The value for the field 'States' must be an OBJECT", statesLocation);
    return;
  }
  if (Object.keys(statesValue).length === 0) findings.schema("The field 'States' must contain at least one state", statesLocation);

  const transitions: (Transition & { from: string })[] = [];
  let hasTerminal = false;
  for (const [name, state] of Object.entries(statesValue)) {
    const location = `${statesLocation}/${name}`;
    checkStateName(findings, name, location, stateNames);
    if (!isJsonObject(state)) {
      findings.schema('A state must be an OBJECT', location);
      continue;
    }
    const summary = checkState(findings, { value: state, location }, (nested, kind) => {
      checkNestedMachineFields(findings, nested, kind);
      checkMachine(findings, nested, stateNames, scopes);
    });
    hasTerminal ||= summary.terminal;
    transitions.push(...summary.transitions.map((transition) => ({ ...transition, from: name })));
  }
  if (startAt !== undefined) scopes.push({ machine, startAt, names: new Set(Object.keys(statesValue)), transitions, hasTerminal });
}

/** What the graph checks need of one scope, gathered while its states were checked. */
interface Scope {
  machine: Node;
  startAt: string;
  names: ReadonlySet<string>;
  transitions: (Transition & { from: string })[];
  hasTerminal: boolean;
}

function checkGraph(findings: Findings, { machine, startAt, names, transitions, hasTerminal }: Scope): void {
  const statesLocation = child(machine, 'States');
  if (!names.has(startAt)) findings.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${startAt}`, child(machine, 'StartAt'));
  for (const transition of transitions) {
    if (!names.has(transition.target)) findings.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${transition.target}`, transition.location);
  }
  const referenced = new Set([startAt, ...transitions.filter((t) => t.target !== t.from).map((t) => t.target)]);
  for (const name of names) {
    if (!referenced.has(name)) findings.error('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${statesLocation}/${name}`);
  }
  if (names.size > 0 && !hasTerminal) findings.error('MISSING_END_STATE', 'Workflow has no terminal state', statesLocation);
}

function checkStateName(findings: Findings, name: string, location: string, stateNames: Map<string, string>): void {
  if ([...name].length > 80) findings.error('INVALID_STATE_NAME', `State name exceeds the maximum length of 80 characters: ${name}`, location);
  if (name === '') findings.error('INVALID_STATE_NAME', 'State name cannot be empty', location);
  if (stateNames.has(name)) findings.error('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, location);
  else stateNames.set(name, location);
}
