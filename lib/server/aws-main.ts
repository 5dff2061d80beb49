import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainStepsFromEnv } from '../aws-home/config.js';
import { dummyCredentials, startDynamoDbLocal, startSqs } from '../emulators/index.js';
import { startAwsHomeServer } from './aws-home-server.js';

/**
 * `npm run start:aws`: the Step Functions API over DynamoDB + SQS, with the step handler fed by
 * in-process pollers. With AWS_ENDPOINT_URL (LocalStack) or STEPWISE_USE_AWS=1 (your account, the
 * SDK's usual credentials) it uses those; otherwise it starts DynamoDB Local (data kept under
 * STEPWISE_DATA_DIR, default .stepwise-data/) and fauxqs itself.
 */
const env = process.env;
const port = Number(env['PORT'] ?? 8083);
const host = env['HOST'] ?? '127.0.0.1';
const region = env['AWS_REGION'] ?? 'us-east-1';
const external = env['AWS_ENDPOINT_URL'] !== undefined || env['STEPWISE_USE_AWS'] === '1';

const stops: (() => Promise<void>)[] = [];
let clients = {};
if (!external) {
  const dataDir = env['STEPWISE_DATA_DIR'] ?? join(process.cwd(), '.stepwise-data');
  const dynamodb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  const sqs = await startSqs();
  stops.push(() => dynamodb.stop(), () => sqs.stop());
  clients = { region, credentials: dummyCredentials, endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint } };
  console.log(JSON.stringify({ level: 'INFO', message: 'emulators started', dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, dataDir }));
} else {
  clients = { region };
}

const home = await startAwsHomeServer(
  {
    clients,
    table: env['STEPWISE_TABLE'] ?? 'stepwise',
    queueName: env['STEPWISE_STEP_QUEUE'] ?? 'stepwise-steps',
    partition: { region, accountId: env['STEPWISE_ACCOUNT_ID'] ?? '123456789012' },
    pollers: Number(env['STEPWISE_POLLERS'] ?? 4),
    ...chainStepsFromEnv(env),
    ...(env['STEPWISE_EVENT_BUS'] ? { eventBus: env['STEPWISE_EVENT_BUS'] } : {}),
    // The web console, built beside this bundle (dist/console, by `npm run start:aws`).
    consoleDir: fileURLToPath(new URL('../console/', import.meta.url)),
  },
  { port, host },
);
console.log(JSON.stringify({ level: 'INFO', message: 'Stepwise AWS home listening', endpoint: `http://${host}:${port}`, resumedExecutions: home.resumed }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    setTimeout(() => process.exit(0), 3000).unref();
    void home
      .close()
      .then(() => Promise.all(stops.map((stop) => stop())))
      .finally(() => process.exit(0));
  });
}
