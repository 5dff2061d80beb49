// What every measuring child shares: reading a workload, checking an answer, reporting one line.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

export function loadWorkload(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
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
