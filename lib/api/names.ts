import { ApiError } from './errors.js';

/**
 * AWS's rule for state machine, execution and activity names (the service model's documentation of
 * `name`): none of whitespace, brackets `< > { } [ ]`, wildcards `? *`, the characters
 * `" # % \ ^ | ~ \` $ & , ; : /`, control characters (U+0000–001F, U+007F–009F), U+FFFE–FFFF or
 * unpaired surrogates.
 */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]/u;
const MAX_NAME_LENGTH = 80;

/** A name AWS takes, or its error: the length first (see checkNameLength), then InvalidName. */
export function checkName(name: string): void {
  checkNameLength(name);
  if (FORBIDDEN.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
}

/**
 * The model's length constraint on a name, 1 to 80 characters (code points, as the model counts
 * them): a ValidationException, which AWS answers before looking at anything else in the request.
 */
export function checkNameLength(name: string): void {
  const length = [...name].length;
  const constraint = length < 1 ? 'greater than or equal to 1' : length > MAX_NAME_LENGTH ? `less than or equal to ${MAX_NAME_LENGTH}` : undefined;
  if (constraint) throw new ApiError('ValidationException', `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length ${constraint}`);
}
