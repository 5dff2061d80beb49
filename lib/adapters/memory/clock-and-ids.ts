import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '../../runtime/ports.js';

export const systemClock: Clock = { now: () => Date.now() };

export const randomIds: IdSource = { uuid: () => randomUUID(), random: () => Math.random(), taskToken: () => randomBytes(48).toString('base64url') };
