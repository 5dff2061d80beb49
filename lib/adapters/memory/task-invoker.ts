import { States } from '../../asl/errors.js';
import type { TaskInvoker } from '../../runtime/ports.js';

/**
 * For engines made without integrations (tests of the runtime, library use): every call a Task state
 * makes fails with States.Runtime naming the resource, so nothing stays RUNNING waiting for work that
 * never comes. The servers use lib/integrations' invoker.
 */
export const unsupportedTasks: TaskInvoker = {
  async invoke(request) {
    return { ok: false, error: States.Runtime, cause: `No integration is configured for the resource '${request.target.arn}' in this Stepwise engine.` };
  },
};
