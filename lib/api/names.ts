import { ApiError } from './errors.js';

/**
 * AWS's rule for state machine and execution names: 1–80 characters, none of whitespace, brackets
 * `< > { } [ ]`, wildcards `? *`, the characters `" # % \ ^ | ~ \` $ & , ; : /`, or control characters.
 */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function checkName(name: string): void {
  if (name.length === 0 || name.length > 80 || FORBIDDEN.test(name)) {
    throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
  }
}
