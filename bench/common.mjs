import { spawn } from 'node:child_process';
// What every measuring child shares: reading a workload, checking an answer, reporting one line.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { externalPackagesButBundled } from '../scripts/esbuild-packages.mjs';

export function loadWorkload(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Stepwise's local home from a bundle (buildStepwiseBundle), as the local server runs it, with the
 * workload's state machine created through the API: `{ local, api, stateMachine }`.
 */
export async function localStepwiseWith(bundle, workload, name = 'bench') {
  const { createLocalStepwise, createStateMachine, Request } = await import(pathToFileURL(bundle).href);
  const local = createLocalStepwise();
  const { api } = local;
  const created = await createStateMachine(
    api,
    new Request('CreateStateMachine', { name, definition: JSON.stringify(workload.definition), roleArn: 'arn:aws:iam::123456789012:role/bench', type: workload.type ?? 'STANDARD' }),
  );
  return { local, api, stateMachine: await api.store.getStateMachine(created.stateMachineArn) };
}

/** A result that differs from the workload's expected output is a failed benchmark, not a slow one. */
export function checkOutput(workload, output, where) {
  if (!isDeepStrictEqual(output, workload.expectedOutput)) {
    const shown = JSON.stringify(output) ?? String(output);
    throw new Error(`${where}: output differs from expectedOutput: ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown}`);
  }
}

export function checkTransitions(workload, transitions, where) {
  if (transitions !== workload.expectedTransitions) {
    throw new Error(`${where}: ${transitions} transitions, expected ${workload.expectedTransitions}`);
  }
}

export function peakRssMiB() {
  // resourceUsage().maxRSS is in KiB.
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `count` jobs with at most `concurrency` in flight, in start order. */
export async function pool(count, concurrency, job) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}

/** The child's answer: exactly one JSON line on stdout, whatever happened. */
export async function report(measure) {
  let line;
  try {
    line = { ok: true, ...(await measure()) };
  } catch (error) {
    line = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.exit(line.ok ? 0 : 1);
}

export function argValue(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

/**
 * Runs a bench child (`node <args>`) in a fresh process and resolves with the JSON of its last line
 * of output, or `{ ok: false, error }` (also when it takes longer than `timeoutMs`).
 */
export function runJsonChild(args, cwd, timeoutMs = 15 * 60_000) {
  return new Promise((resolvePromise) => {
    const proc = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    proc.stderr.on('data', (chunk) => (err += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill();
    }, timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolvePromise({ ok: false, timedOut: true, error: `no result within ${timeoutMs / 1000} s` });
      const last = out.trim().split('\n').pop();
      try {
        resolvePromise(JSON.parse(last));
      } catch {
        resolvePromise({ ok: false, error: `exited ${code ?? signal} without a result${err ? `:\n${err.trim()}` : ''}` });
      }
    });
  });
}

/**
 * The Stepwise bundle every in-process and server measurement loads: only the public pieces they need,
 * bundled fresh from the tree at `root` so that a run measures the current code.
 */
export async function buildStepwiseBundle(root, outfile) {
  await bundleExports(
    [
      "export { createLocalStepwise } from './lib/server/local-stepwise.js';",
      "export { createHttpServer } from './lib/server/http-server.js';",
      "export { createStateMachine } from './lib/api/state-machines.js';",
      "export { Request } from './lib/api/request.js';",
      "export { cachedLoggingConfigurations, LineExecutionLog } from './lib/adapters/memory/execution-log.js';",
    ],
    root,
    outfile,
  );
}

/** Bundles `export … from './lib/…'` lines of the tree at `resolveDir` into one ES module at `outfile`. */
export async function bundleExports(exportLines, resolveDir, outfile) {
  // Loaded here, not at the top: the measuring children import this module and never build, and
  // esbuild is CommonJS, which Node's loader lexes on import and whose lexer it then optimises in the
  // background, inside the children's timed rounds.
  const { build } = await import('esbuild');
  await build({
    stdin: { contents: exportLines.join('\n'), resolveDir, sourcefile: 'bench-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [externalPackagesButBundled],
    outfile,
    logLevel: 'warning',
  });
}
