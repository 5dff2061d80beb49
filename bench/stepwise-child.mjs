// One measurement of the Stepwise engine in-process, over the memory adapters with full history,
// as the local server runs it. Usage: node stepwise-child.mjs WORKLOAD.json BUNDLE.mjs [--warmup N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argValue, checkOutput, checkTransitions, loadWorkload, localStepwiseWith, peakRssMiB, pool, report } from './common.mjs';

const [workloadFile, bundle] = process.argv.slice(2);

await report(async () => {
  const workload = loadWorkload(workloadFile);
  const { local, api, stateMachine } = await localStepwiseWith(bundle, workload);
  const inputText = JSON.stringify(workload.input);

  const round = async (label) => {
    const arns = new Array(workload.executions);
    const windowStart = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await pool(workload.executions, workload.concurrency, async (i) => {
      const outcome = await api.engine.start(stateMachine, `${label}-${i}`, inputText);
      arns[i] = outcome.execution.executionArn;
      await api.engine.completion(arns[i]);
    });
    const ms = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    timedWindow(windowStart, process.hrtime.bigint());
    // Checked after the clock stops: reading the history back is not part of running the workload.
    let transitions = 0;
    for (const arn of arns) {
      const execution = await api.store.getExecution(arn);
      if (execution.status !== 'SUCCEEDED') throw new Error(`stepwise: ${arn} ended ${execution.status} ${execution.error ?? ''} ${execution.cause ?? ''}`);
      checkOutput(workload, JSON.parse(execution.output), 'stepwise');
      for (const event of await api.store.history(arn)) if (event.type.endsWith('StateEntered')) transitions++;
    }
    checkTransitions(workload, transitions, 'stepwise');
    return { ms, transitions, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  for (let w = Number(argValue('--warmup') ?? 0); w > 0; w--) await round(`warmup${w}`);
  const { ms, transitions, cpuMs } = await round('run');
  local.close();
  return { ms, cpuMs, transitions, executions: workload.executions, tps: (transitions / ms) * 1000, rssMiB: peakRssMiB() };
});

/**
 * Under --cpu-prof, where the timed round ran, on the profile's clock (both are the monotonic clock, in µs):
 * bench/profile-summary.mjs reads it to leave out module loading, setup and checking. The last round wins.
 */
function timedWindow(start, end) {
  const dir = process.execArgv.find((a) => a.startsWith('--cpu-prof-dir='))?.slice('--cpu-prof-dir='.length);
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `window-${process.pid}.json`), JSON.stringify({ startUs: Number(start / 1000n), endUs: Number(end / 1000n) }));
}
