// One measurement of the Stepwise engine in-process, over the memory adapters with full history,
// as the local server runs it. Usage: node stepwise-child.mjs WORKLOAD.json BUNDLE.mjs [--warmup N]
import { pathToFileURL } from 'node:url';
import { argValue, checkOutput, checkTransitions, loadWorkload, peakRssMiB, pool, report } from './common.mjs';

const [workloadFile, bundle] = process.argv.slice(2);

await report(async () => {
  const workload = loadWorkload(workloadFile);
  const { createLocalStepwise, createStateMachine, Request } = await import(pathToFileURL(bundle).href);
  const local = createLocalStepwise();
  const { api } = local;
  const created = await createStateMachine(
    api,
    new Request('CreateStateMachine', {
      name: 'bench',
      definition: JSON.stringify(workload.definition),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
      type: workload.type,
    }),
  );
  const stateMachine = await api.store.getStateMachine(created.stateMachineArn);
  const inputText = JSON.stringify(workload.input);

  const round = async (label) => {
    const arns = new Array(workload.executions);
    const startedAt = performance.now();
    await pool(workload.executions, workload.concurrency, async (i) => {
      const outcome = await api.engine.start(stateMachine, `${label}-${i}`, inputText);
      arns[i] = outcome.execution.executionArn;
      await api.engine.completion(arns[i]);
    });
    const ms = performance.now() - startedAt;
    // Checked after the clock stops: reading the history back is not part of running the workload.
    let transitions = 0;
    for (const arn of arns) {
      const execution = await api.store.getExecution(arn);
      if (execution.status !== 'SUCCEEDED') throw new Error(`stepwise: ${arn} ended ${execution.status} ${execution.error ?? ''} ${execution.cause ?? ''}`);
      checkOutput(workload, JSON.parse(execution.output), 'stepwise');
      for (const event of await api.store.history(arn)) if (event.type.endsWith('StateEntered')) transitions++;
    }
    checkTransitions(workload, transitions, 'stepwise');
    return { ms, transitions };
  };

  for (let w = Number(argValue('--warmup') ?? 0); w > 0; w--) await round(`warmup${w}`);
  const { ms, transitions } = await round('run');
  local.close();
  return { ms, transitions, executions: workload.executions, tps: (transitions / ms) * 1000, rssMiB: peakRssMiB() };
});
