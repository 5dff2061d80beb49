// Whether two bundles of Stepwise record the same histories for a workload: each runs up to 5 of its
// executions in-process (as bench/stepwise-child.mjs does), and the events (id, previous id, type,
// details; not timestamps) are compared. A check for changes to the engine that must not change what
// it records. Usage: node bench/compare-histories.mjs WORKLOAD.json BUNDLE_A.mjs BUNDLE_B.mjs
// (bundles as bench/common.mjs's buildStepwiseBundle makes them). Exit 1 when they differ.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [workloadFile, ...bundles] = process.argv.slice(2);
if (!workloadFile || bundles.length !== 2) {
  console.error('usage: node bench/compare-histories.mjs WORKLOAD.json BUNDLE_A.mjs BUNDLE_B.mjs');
  process.exit(2);
}
const workload = JSON.parse(readFileSync(workloadFile, 'utf8'));

async function histories(bundle) {
  const { createLocalStepwise, createStateMachine, Request } = await import(pathToFileURL(bundle).href);
  const local = createLocalStepwise();
  const { api } = local;
  const created = await createStateMachine(
    api,
    new Request('CreateStateMachine', { name: 'compare', definition: JSON.stringify(workload.definition), roleArn: 'arn:aws:iam::123456789012:role/compare', type: workload.type ?? 'STANDARD' }),
  );
  const stateMachine = await api.store.getStateMachine(created.stateMachineArn);
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
  for (const arn of arns) for (const e of await api.store.history(arn)) lines.push(`${arn.split(':').pop()} ${JSON.stringify([e.id, e.previousEventId, e.type, e.details])}`);
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
