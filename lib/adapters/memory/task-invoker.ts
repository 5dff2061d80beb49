import { States } from '../../asl/errors.js';
import type { TaskInvoker } from '../../runtime/ports.js';

/**
 * The local home runs no task integrations yet (they arrive with the Task issue): every Task fails
 * with States.Runtime naming the resource, so nothing stays RUNNING waiting for work that never comes.
 */
export const unsupportedTasks: TaskInvoker = {
  async invoke(request) {
    return {
      ok: false,
      error: States.Runtime,
      cause: `No integration is configured for the resource '${request.target.arn}': this Stepwise endpoint does not run Task states yet.`,
    };
  },
};
