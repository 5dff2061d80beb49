import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '../../runtime/ports.js';

export const systemClock: Clock = { now: () => Date.now() };

export const randomIds: IdSource = {
  uuid: () => randomUUID(),
  random: () => Math.random(),
  // 48 random bytes behind a fixed start, as AWS's tokens have one: never a leading '-', which the aws
  // CLI would take for an option.
  taskToken: () => `AQ${randomBytes(48).toString('base64url')}`,
};
