// One measurement of the npm peer `aws-local-stepfunctions`, in-process, on the same workload.
// Usage: node peer-child.mjs WORKLOAD.json [--warmup N]
//
// The peer keeps no history; it logs events (StateEntered, StateExited, ...) to a per-execution
// queue whether or not anyone reads it, with Map iterations' and Parallel branches' events forwarded
// to the root. Its transitions are counted by draining that queue after the clock stops: reading
// it while the execution runs costs the peer up to 3x on the Map workload (async iteration per
// event), which would flatter Stepwise.
import { StateMachine } from 'aws-local-stepfunctions';
import { argValue, checkOutput, checkTransitions, loadWorkload, peakRssMiB, pool, report } from './common.mjs';

const [workloadFile] = process.argv.slice(2);

async function countEntered(eventLogs) {
  let entered = 0;
  for await (const event of eventLogs) if (event.type === 'StateEntered') entered++;
  return entered;
}

await report(async () => {
  const workload = loadWorkload(workloadFile);
  // Validation (asl-validator) happens once per machine, outside the clock, as Stepwise's CreateStateMachine does.
  const machine = new StateMachine(workload.definition);

  const round = async () => {
    const outputs = new Array(workload.executions);
    const logs = new Array(workload.executions);
    let transitions = 0;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await pool(workload.executions, workload.concurrency, async (i) => {
      const execution = machine.run(workload.input);
      logs[i] = execution.eventLogs;
      outputs[i] = await execution.result;
    });
    const ms = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    for (const log of logs) transitions += await countEntered(log);
    for (const output of outputs) checkOutput(workload, output, 'peer');
    checkTransitions(workload, transitions, 'peer');
    return { ms, transitions, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  for (let w = Number(argValue('--warmup') ?? 0); w > 0; w--) await round();
  const { ms, transitions, cpuMs } = await round();
  return { ms, cpuMs, transitions, executions: workload.executions, tps: (transitions / ms) * 1000, rssMiB: peakRssMiB() };
});
