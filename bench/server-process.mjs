// The local server on its own process and port, as `npm start` runs it (same bundle as the
// in-process measurement). Prints {"port"} once listening; answers a "cpu" line on stdin with its
// CPU time so far, and a "report" line with its peak RSS and CPU time, then exits.
// Usage: node server-process.mjs BUNDLE.mjs
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const { createLocalStepwise, createHttpServer, LineExecutionLog, cachedLoggingConfigurations } = await import(pathToFileURL(process.argv[2]).href);
// With npm start's default execution log (records of the machines whose loggingConfiguration asks for
// them; the bench's ask for none), its lines to stderr: stdout carries this process's answers.
const local = createLocalStepwise({ log: (store) => new LineExecutionLog(cachedLoggingConfigurations(store), (text) => process.stderr.write(text)) });
const server = createHttpServer(local.api);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

function usage() {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { rssMiB: maxRSS / 1024, cpuMs: (userCPUTime + systemCPUTime) / 1000 };
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'cpu' || command === 'report') process.stdout.write(`${JSON.stringify(usage())}\n`);
  if (command === 'report') break;
}
local.close();
server.closeAllConnections();
server.close(() => process.exit(0));
