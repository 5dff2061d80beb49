import { MemoryActivityStore } from '../../../lib/adapters/memory/activity-store.js';
import { MemoryTaskTokenStore } from '../../../lib/adapters/memory/task-token-store.js';
import { taskStoresContract } from '../contracts/task-stores.contract.js';

taskStoresContract('memory', async (clock) => ({ tokens: new MemoryTaskTokenStore(() => clock.now), activities: new MemoryActivityStore() }), { wakesOnEnqueue: true });
