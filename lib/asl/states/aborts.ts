import type { RunningChild } from '../frame.js';
import type { Step } from '../step.js';

/** The states whose abandonment AWS records (`TaskStateAborted`, …): the ones that can be in progress. */
const ABORTABLE: ReadonlySet<string> = new Set(['Task', 'Parallel', 'Map', 'Wait']);

/**
 * What AWS records when a child's failure fails its Parallel or Map state (recorded on AWS, e.g.
 * LocalStack's test_service_lambda_map_timeout): the failed child's Task aborted, then each child still
 * running — for a Map its `MapIterationAborted`, then the state it was in aborted — all chained to the
 * failed child's last event, as the Parallel's or Map's *StateFailed that follows is.
 */
export function recordAborts(step: Step, failedState: string | undefined, running: readonly RunningChild[] | undefined): void {
  if (step.frame.join?.distributed) return;
  const previous = step.frame.lastEventId;
  const aborted = (stateType: string | undefined) => {
    if (stateType !== undefined && ABORTABLE.has(stateType)) step.emit(`${stateType}StateAborted`, undefined, { previous, advance: false });
  };
  // A failed Task is recorded aborted too; a nested Parallel or Map has recorded its own *StateFailed.
  if (failedState === 'Task') aborted(failedState);
  for (const child of running ?? []) {
    if (step.state.Type === 'Map') step.emit('MapIterationAborted', { name: step.frame.stateName, index: child.index }, { previous, advance: false });
    aborted(child.stateType);
  }
}
