// Local AWS-compatible emulators for the integration tests (see ../shared/docs/testing.md).
export { dummyCredentials } from './credentials.js';
export { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
export { startMoto, type Moto } from './moto.js';
export { startSqs, type Sqs } from './sqs.js';
