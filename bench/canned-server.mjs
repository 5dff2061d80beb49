// The client's ceiling: a server that does no work. It answers every Step Functions call the bench makes
// with a fixed answer of the right shape (an execution that has already succeeded), so that the same
// client and pool, pointed at it, show how many executions per second this machine's client can drive
// at best, whatever the server. Prints {"port"} once listening; exits on a "report" line on stdin.
// Usage: node canned-server.mjs
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const ACCOUNT = 'arn:aws:states:us-east-1:123456789012';
const now = () => Date.now() / 1000;

function answer(target, request) {
  switch (target) {
    case 'CreateStateMachine':
      return { stateMachineArn: `${ACCOUNT}:stateMachine:${request.name}`, creationDate: now() };
    case 'StartExecution':
      return { executionArn: `${ACCOUNT}:execution:bench:${request.name}`, startDate: now() };
    case 'DescribeExecution':
      return { executionArn: request.executionArn, stateMachineArn: `${ACCOUNT}:stateMachine:bench`, name: request.executionArn.split(':').pop(), status: 'SUCCEEDED', startDate: now(), stopDate: now(), input: '{}', output: '{}' };
    case 'StartSyncExecution':
      return { executionArn: `${ACCOUNT}:express:bench:${request.name}:x`, stateMachineArn: request.stateMachineArn, name: request.name, status: 'SUCCEEDED', startDate: now(), stopDate: now(), input: request.input ?? '{}', output: '{}' };
    default:
      return undefined;
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    const body = answer(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
    const text = JSON.stringify(body ?? { __type: 'UnknownOperationException', message: target });
    res.writeHead(body ? 200 : 400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'report') break;
server.closeAllConnections();
server.close(() => process.exit(0));
