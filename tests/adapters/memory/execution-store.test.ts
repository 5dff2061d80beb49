import { MemoryExecutionStore } from '../../../lib/adapters/memory/execution-store.js';
import { executionStoreContract } from '../contracts/execution-store.contract.js';

executionStoreContract('memory', async () => new MemoryExecutionStore());
