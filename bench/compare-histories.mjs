// Whether two bundles of Stepwise record the same histories for a workload: each runs up to 5 of its
// executions in-process (as bench/stepwise-child.mjs does), and the events (id, previous id, type,
// details; not timestamps) are compared. A check for changes to the engine that must not change what
// it records. Usage: node bench/compare-histories.mjs WORKLOAD.json BUNDLE_A.mjs BUNDLE_B.mjs
// (bundles as bench/common.mjs's buildStepwiseBundle makes them). Exit 1 when they differ.
import { loadWorkload, localStepwiseWith } from './common.mjs';

const [workloadFile, ...bundles] = process.argv.slice(2);
if (!workloadFile || bundles.length !== 2) {
  console.error('usage: node bench/compare-histories.mjs WORKLOAD.json BUNDLE_A.mjs BUNDLE_B.mjs');
  process.exit(2);
}
const workload = loadWorkload(workloadFile);

async function histories(bundle) {
  const { local, api, stateMachine } = await localStepwiseWith(bundle, workload, 'compare');
  const input = JSON.stringify(workload.input);
  const count = Math.min(workload.executions ?? 1, 5);
  const arns = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { execution } = await api.engine.start(stateMachine, `e${i}`, input);
      await api.engine.completion(execution.executionArn);
      return execution.executionArn;
    }),
  );
  const lines = [];
  // Labelled by the execution's name: an EXPRESS execution's ARN ends in a random id.
  for (let i = 0; i < arns.length; i++) for (const e of await api.store.history(arns[i])) lines.push(`e${i} ${JSON.stringify([e.id, e.previousEventId, e.type, e.details])}`);
  local.close();
  return lines;
}

const [a, b] = [await histories(bundles[0]), await histories(bundles[1])];
const at = a.findIndex((line, i) => line !== b[i]);
if (at === -1 && a.length === b.length) {
  console.log(`identical: ${a.length} events`);
} else {
  const i = at === -1 ? Math.min(a.length, b.length) : at;
  console.log(`different at event ${i + 1} of ${a.length} / ${b.length}:\n  A ${a[i]?.slice(0, 300)}\n  B ${b[i]?.slice(0, 300)}`);
  process.exit(1);
}
