// `node bench/alloc.mjs [--only NAME] [--top N]`: what Stepwise in-process allocates per state transition
// on each workload of ../shared/bench/workloads (bench/alloc-child.mjs, a fresh process each), and the
// functions that allocate most; beside it, what the npm peer allocates for the same work. A measure of the code's own cost that a busy machine does not distort.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, buildStepwiseBundle, runJsonChild } from './common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const bundle = join(here, '.build', 'stepwise.mjs');
const workloadDir = resolve(root, '../shared/bench/workloads');
const only = argValue('--only');
const top = argValue('--top') ?? '6';

mkdirSync(dirname(bundle), { recursive: true });
await buildStepwiseBundle(root, bundle);
let failed = false;
for (const file of readdirSync(workloadDir).filter((f) => f.endsWith('.json') && (only === undefined || f.includes(only))).sort()) {
  const result = await runJsonChild([join(here, 'alloc-child.mjs'), join(workloadDir, file), bundle, top]);
  const peer = await runJsonChild([join(here, 'alloc-child.mjs'), join(workloadDir, file), 'peer', '0']);
  if (!result.ok || !peer.ok) {
    failed = true;
    console.error(`${file}: ${result.error ?? peer.error}`);
    continue;
  }
  const kb = (b) => `${(b / 1024).toFixed(2)} KiB`;
  console.log(`${file.replace(/\.json$/, '')}: Stepwise ${kb(result.bytesPerTransition)} allocated per transition, the peer ${kb(peer.bytesPerTransition)}`);
  for (const { name, bytesPerTransition } of result.top) console.log(`  ${kb(bytesPerTransition).padStart(10)}  ${name}`);
}
process.exit(failed ? 1 : 0);
