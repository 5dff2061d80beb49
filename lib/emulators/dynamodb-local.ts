// DynamoDB Local (Amazon's jar, fetched by scripts/ensure-emulators.mjs) as a child process: the
// real conditional-write and transaction semantics the execution store relies on.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dummyCredentials } from './credentials.js';
import { freePort, projectRoot, spawnManaged, waitUntilReady } from './process.js';

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local on `port` (default: a free one), in memory unless `dataDir` is given. */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const dir = process.env['STEPWISE_DYNAMODB_LOCAL_DIR'] ?? join(projectRoot(), '.cache/ddb/emulator');
  const jar = join(dir, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) {
    throw new Error(`DynamoDB Local is missing (${jar}): run \`node scripts/ensure-emulators.mjs\``);
  }
  const port = options.port ?? (await freePort());
  // -sharedDb: one database whatever the region/credentials, so every client sees the same tables.
  const storage = options.dataDir ? ['-sharedDb', '-dbPath', resolve(options.dataDir)] : ['-inMemory', '-sharedDb'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // -disableTelemetry: it is on by default and would call home. cwd: it writes a
  // dynamodb-local-metadata.json there, which must not land in the caller's folder (the project root).
  const child = spawnManaged('DynamoDB Local', 'java', [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', jar, '-port', String(port), ...storage, '-disableTelemetry',
  ], { cwd: tmpdir() });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: dummyCredentials, maxAttempts: 1 });
  try {
    await waitUntilReady('DynamoDB Local', child, () => client.send(new ListTablesCommand({ Limit: 1 })));
  } finally {
    client.destroy();
  }
  return { endpoint, pid: child.pid, stop: () => child.stop() };
}
