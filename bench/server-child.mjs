// One end-to-end measurement of the local server: the server in its own process, this process its
// client through @aws-sdk/client-sfn. STANDARD workloads: StartExecution, then DescribeExecution
// until the execution leaves RUNNING; EXPRESS workloads: StartSyncExecution. Then the same rounds
// against canned-server.mjs, which does no work: the client's ceiling on this machine.
// Usage: node server-child.mjs WORKLOAD.json BUNDLE.mjs [--warmup N (default 1)]
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { argValue, checkOutput, checkTransitions, loadWorkload, pool, report } from './common.mjs';

const [workloadFile, bundle] = process.argv.slice(2);
/** Sockets the client keeps open to the server; more only adds contention on two cores. */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 64);
/** DescribeExecution backs off from the first poll, doubling to this pause. */
const MAX_POLL_PAUSE_MS = 20;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startServer(script = './server-process.mjs') {
  // BENCH_SERVER_CPU_PROF=DIR: a CPU profile of the server process (bench/profile-summary.mjs reads it).
  const profile = process.env.BENCH_SERVER_CPU_PROF && script === './server-process.mjs' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, fileURLToPath(new URL(script, import.meta.url)), bundle], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the server process exited');
    return JSON.parse(value);
  };
  return { child, nextLine };
}

async function serverCpuMs(server) {
  server.child.stdin.write('cpu\n');
  return (await server.nextLine()).cpuMs;
}

/**
 * Creates the machine on the server at `port`, then runs the workload's executions through one SDK
 * client: warm-up rounds (untimed), then the timed one. `server` answers with its CPU time, if given.
 */
async function rounds(workload, port, server) {
  const client = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    disableHostPrefix: true,
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: SOCKETS }), socketAcquisitionWarningTimeout: 60_000 },
  });
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({
      name: 'bench',
      definition: JSON.stringify(workload.definition),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
      type: workload.type,
    }),
  );
  const input = JSON.stringify(workload.input);
  const express = workload.type === 'EXPRESS';
  const finished = new Array(workload.executions);
  let requests = 0;

  const runStandard = async (name) => {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    requests++;
    for (let pause = 1; ; pause = Math.min(pause * 2, MAX_POLL_PAUSE_MS)) {
      const described = await client.send(new DescribeExecutionCommand({ executionArn }));
      requests++;
      if (described.status !== 'RUNNING') return described;
      await sleep(pause);
    }
  };
  const runExpress = async (name) => {
    requests++;
    return client.send(new StartSyncExecutionCommand({ stateMachineArn, name, input }));
  };

  // A server is a long-lived process: warm-up rounds (same work, untimed) let both it and the
  // SDK client reach steady state before the measured round.
  for (let w = Number(argValue('--warmup') ?? 1); w > 0; w--) {
    await pool(workload.executions, workload.concurrency, (i) => (express ? runExpress(`warmup${w}-${i}`) : runStandard(`warmup${w}-${i}`)));
  }
  requests = 0;

  const serverCpuBefore = server ? await serverCpuMs(server) : 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await pool(workload.executions, workload.concurrency, async (i) => {
    finished[i] = await (express ? runExpress(`run-${i}`) : runStandard(`run-${i}`));
  });
  const ms = performance.now() - startedAt;
  const clientCpu = process.cpuUsage(cpuBefore);
  const serverCpu = server ? (await serverCpuMs(server)) - serverCpuBefore : undefined;
  return { client, finished, ms, requests, clientCpuMs: (clientCpu.user + clientCpu.system) / 1000, serverCpu };
}

/** Executions per second of the same rounds against canned-server.mjs (no work, fixed answers). */
async function clientCeiling(workload) {
  const canned = startServer('./canned-server.mjs');
  try {
    const { port } = await canned.nextLine();
    const { client, ms } = await rounds(workload, port, undefined);
    client.destroy();
    return (workload.executions / ms) * 1000;
  } finally {
    canned.child.stdin.write('report\n');
    await new Promise((resolve) => {
      canned.child.once('exit', resolve);
      setTimeout(resolve, 2000);
    });
    canned.child.kill();
  }
}

/** The workload through the Stepwise server, checked; the server process has exited when this returns. */
async function againstStepwise(workload) {
  const server = startServer();
  try {
    const { port } = await server.nextLine();
    const { client, finished, ms, requests, clientCpuMs, serverCpu } = await rounds(workload, port, server);

    // Checked after the clock stops. GetExecutionHistory of an EXPRESS execution is a Stepwise
    // leniency (AWS keeps no Express history); without it only the outputs could be checked.
    let transitions = 0;
    let transitionsChecked = true;
    for (const execution of finished) {
      if (execution.status !== 'SUCCEEDED') throw new Error(`server: ${execution.executionArn} ended ${execution.status} ${execution.error ?? ''} ${execution.cause ?? ''}`);
      checkOutput(workload, JSON.parse(execution.output), 'server');
      if (!transitionsChecked) continue;
      try {
        let nextToken;
        do {
          const page = await client.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn, includeExecutionData: false, maxResults: 1000, nextToken }));
          for (const event of page.events) if (event.type.endsWith('StateEntered')) transitions++;
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (error) {
        if (!express) throw error;
        transitionsChecked = false;
      }
    }
    if (transitionsChecked) checkTransitions(workload, transitions, 'server');
    client.destroy();
    server.child.stdin.write('report\n');
    const { rssMiB } = await server.nextLine();
    return {
      ms,
      transitions: workload.expectedTransitions,
      transitionsChecked,
      executions: workload.executions,
      requests,
      tps: (workload.expectedTransitions / ms) * 1000,
      eps: (workload.executions / ms) * 1000,
      rssMiB,
      // Where the time went: both processes' CPU while the clock ran (two cores on the bench machine).
      clientCpuMs,
      serverCpuMs: serverCpu,
    };
  } finally {
    // After "report" the server exits by itself (writing its profile, if asked); a failed run's is stopped.
    if (server.child.exitCode === null) {
      await new Promise((resolve) => {
        server.child.once('exit', resolve);
        setTimeout(resolve, process.env.BENCH_SERVER_CPU_PROF ? 5000 : 0);
      });
    }
    server.child.kill();
  }
}

await report(async () => {
  const workload = loadWorkload(workloadFile);
  const measured = await againstStepwise(workload);
  // The same rounds against a server that does no work, once Stepwise's is gone: the most this machine's client drives.
  return { ...measured, ceilingEps: process.argv.includes('--no-ceiling') ? undefined : await clientCeiling(workload) };
});
