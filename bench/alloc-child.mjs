// What one run of a workload allocates in Stepwise in-process, by function: V8's sampling heap profiler
// with the objects the collector has freed included, so the figure is what was allocated, not what
// survived. Unlike time, allocation does not depend on how busy the machine is: a change that
// allocates less is measurably cheaper even where timings are noise (GC is a third of a cold run).
// The same for the npm peer (`peer` in place of the bundle), run as peer-child.mjs runs it.
// Usage: node alloc-child.mjs WORKLOAD.json BUNDLE.mjs|peer [TOP]
import { Session } from 'node:inspector/promises';
import { checkOutput, loadWorkload, localStepwiseWith, pool, report } from './common.mjs';

const [workloadFile, bundle, top = '10'] = process.argv.slice(2);

await report(async () => {
  const workload = loadWorkload(workloadFile);
  const run = bundle === 'peer' ? await peerRun(workload) : await stepwiseRun(workload);
  const session = new Session();
  session.connect();
  // One sample every 512 bytes on average: enough for per-function shares of tens of MB.
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  const check = await run();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  await check();

  const byFunction = new Map();
  const walk = (node) => {
    const key = node.callFrame.functionName || '(anonymous)';
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const bytes = [...byFunction.values()].reduce((a, b) => a + b, 0);
  return {
    bytes,
    bytesPerTransition: bytes / workload.expectedTransitions,
    top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(top)).map(([name, b]) => ({ name, bytesPerTransition: b / workload.expectedTransitions })),
  };
});

/** Stepwise as stepwise-child.mjs runs it; the run resolves with the check of its outputs. */
async function stepwiseRun(workload) {
  const { local, api, stateMachine } = await localStepwiseWith(bundle, workload);
  const inputText = JSON.stringify(workload.input);
  return async () => {
    const arns = new Array(workload.executions);
    await pool(workload.executions, workload.concurrency, async (i) => {
      const outcome = await api.engine.start(stateMachine, `alloc-${i}`, inputText);
      arns[i] = outcome.execution.executionArn;
      await api.engine.completion(arns[i]);
    });
    return async () => {
      for (const arn of arns) checkOutput(workload, JSON.parse((await api.store.getExecution(arn)).output), 'stepwise');
      local.close();
    };
  };
}

/** The peer as peer-child.mjs runs it. */
async function peerRun(workload) {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const machine = new StateMachine(workload.definition);
  return async () => {
    const outputs = new Array(workload.executions);
    await pool(workload.executions, workload.concurrency, async (i) => {
      outputs[i] = await machine.run(workload.input).result;
    });
    return async () => {
      for (const output of outputs) checkOutput(workload, output, 'peer');
    };
  };
}
