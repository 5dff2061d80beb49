import { DynamoDbExecutionStore } from '../../../lib/adapters/aws/execution-store.js';
import { emulatorClients, freshTable } from '../../support/aws.js';
import { executionStoreContract } from '../contracts/execution-store.contract.js';

const clients = emulatorClients();
executionStoreContract('DynamoDB Local', async () => new DynamoDbExecutionStore(clients.dynamodb, await freshTable(clients)));
