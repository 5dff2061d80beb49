import { fileURLToPath } from 'node:url';
import { cachedLoggingConfigurations, fileSink, LineExecutionLog, stdoutSink } from '../adapters/memory/execution-log.js';
import { createTaskInvoker } from '../integrations/invoker.js';
import { loadIntegrationsConfig } from '../integrations/config.js';
import { createHttpServer } from './http-server.js';
import { createLocalStepwise } from './local-stepwise.js';

/** `npm start`: the Step Functions API on 127.0.0.1:8083 (PORT, HOST override), no AWS account needed. */
const port = Number(process.env['PORT'] ?? 8083);
const host = process.env['HOST'] ?? '127.0.0.1';
const partition = { region: process.env['AWS_REGION'] ?? 'us-east-1', accountId: process.env['STEPWISE_ACCOUNT_ID'] ?? '123456789012' };
// Task states' functions and AWS endpoints: stepwise.config.json (or STEPWISE_CONFIG), see README.
const config = loadIntegrationsConfig();
const tasks = createTaskInvoker({ config, region: partition.region, accountId: partition.accountId });
// Execution-log records of machines with a loggingConfiguration: STEPWISE_EXECUTION_LOG=stdout (the
// default), a file to append to, or off.
const executionLog = process.env['STEPWISE_EXECUTION_LOG'] ?? 'stdout';
const sink = executionLog === 'off' ? undefined : executionLog === 'stdout' || executionLog === '' ? stdoutSink : fileSink(executionLog);
const local = createLocalStepwise({ partition, tasks, ...(sink ? { log: (store) => new LineExecutionLog(cachedLoggingConfigurations(store), sink) } : {}) });
// The web console, built beside this bundle (dist/console, by `npm start`).
const server = createHttpServer(local.api, { consoleDir: fileURLToPath(new URL('../console/', import.meta.url)) });
server.listen(port, host, () => {
  console.log(JSON.stringify({ level: 'INFO', message: 'Stepwise local server listening', endpoint: `http://${host}:${port}` }));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    local.close();
    tasks.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
