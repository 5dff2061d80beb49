// Workflow variable names, for everything that reads or checks one: Assign at creation, `$name` paths
// in JSONPath states, Choice rules that test whether a variable is present.
//
// AWS's rule ("Passing data between states with variables", Variable name syntax; the ASL spec, State
// Machine Variables): a Unicode identifier as Unicode Standard Annex #31 defines it, so an ID_Start
// character, then ID_Continue characters, at most 80 characters. ID_Start holds letters but not '_' or
// digits, so `_x` and `1x` are not names; ID_Continue adds both.

const VARIABLE_NAME = /^\p{ID_Start}\p{ID_Continue}*$/u;
const VARIABLE_NAME_AFTER_DOLLAR = /^\$(\p{ID_Start}\p{ID_Continue}*)/u;

export const MAX_VARIABLE_NAME_LENGTH = 80;

/** Names Step Functions keeps for itself: `$states` in JSONata. */
const RESERVED_VARIABLE_NAMES: ReadonlySet<string> = new Set(['states']);

/** Whether `name` is spelt as a variable name; says nothing of its length or whether it is reserved. */
export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** The variable a JSONPath path reads, `x` in `$x.a[0]`; undefined for `$…` (input) and `$$…` (context). */
export function pathVariableName(path: string): string | undefined {
  return VARIABLE_NAME_AFTER_DOLLAR.exec(path)?.[1];
}

/** Why `name` cannot be assigned, for the definition checks; undefined when it can. */
export function variableNameProblem(name: string): string | undefined {
  if (RESERVED_VARIABLE_NAMES.has(name)) return `The variable name '${name}' is reserved`;
  // "80 Unicode characters": code points, so a name in a supplementary plane is not counted twice.
  if ([...name].length > MAX_VARIABLE_NAME_LENGTH) {
    return `The variable name '${name}' exceeds the maximum length of ${MAX_VARIABLE_NAME_LENGTH} characters`;
  }
  if (!isVariableName(name)) return `The variable name '${name}' is not a valid variable name`;
  return undefined;
}
