import { StatesError } from '../errors.js';

/** AWS fails the state with States.Runtime and this cause whenever an argument has the wrong type or range. */
export function invalidArguments(functionName: string): StatesError {
  return StatesError.runtime(`Invalid arguments in ${functionName}`);
}
