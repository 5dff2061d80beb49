import type { Catcher, Retrier } from './definition.js';
import { States, StatesError } from './errors.js';

/**
 * Whether an ErrorEquals list names this error (AWS guide, "Error names"): `States.ALL` matches every
 * error but the terminal ones; `States.TaskFailed` matches every error but `States.Timeout`.
 */
export function errorMatches(errorEquals: readonly string[], error: StatesError): boolean {
  return errorEquals.some((name) => {
    if (name === error.error || error.alsoNamed(name)) return true;
    if (name === States.ALL) return error.matchedByAll;
    if (name === States.TaskFailed) return error.matchedByAll && error.error !== States.Timeout;
    return false;
  });
}

export interface RetryDecision {
  readonly retrierIndex: number;
  /** Back-off before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/**
 * The first Retrier whose ErrorEquals names the error decides alone (ASL spec: retriers are tried in
 * order and only the first match counts): either one more attempt after its back-off, or none.
 * Returns undefined when the error goes on to Catch.
 */
export function retryDecision(retriers: readonly Retrier[] | undefined, attempts: readonly number[], error: StatesError, random: () => number): RetryDecision | undefined {
  if (!retriers) return undefined;
  const retrierIndex = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error));
  const retrier = retriers[retrierIndex];
  if (!retrier) return undefined;
  const made = attempts[retrierIndex] ?? 0;
  if (made >= (retrier.MaxAttempts ?? 3)) return undefined;
  let delaySeconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** made;
  if (retrier.MaxDelaySeconds !== undefined) delaySeconds = Math.min(delaySeconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delaySeconds = random() * delaySeconds;
  return { retrierIndex, delayMs: Math.round(delaySeconds * 1000) };
}

export function findCatcher(catchers: readonly Catcher[] | undefined, error: StatesError): Catcher | undefined {
  return catchers?.find((c) => errorMatches(c.ErrorEquals, error));
}
