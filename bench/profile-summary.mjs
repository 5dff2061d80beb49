// Top self-time functions of a V8 CPU profile (node --cpu-prof), or top allocating functions and source
// files of a sampled heap profile (bench/alloc-profile.mjs), for BENCHMARKS.md's reading.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile|FILE.heapprofile [TOP (default 20)]
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';

const [file, top = '20'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
// esbuild marks each source file's start in the bundle with a `// lib/...` comment: name the file, not the bundle line.
const sourceOf = new Map();
function sourceFile(url, line) {
  if (!url.startsWith('file:') || !url.endsWith('stepwise.mjs')) return undefined;
  if (!sourceOf.has(url)) {
    const path = fileURLToPath(url);
    const marks = [];
    if (existsSync(path)) readFileSync(path, 'utf8').split('\n').forEach((text, i) => /^\/\/ lib\//.test(text) && marks.push([i, text.slice(3)]));
    sourceOf.set(url, marks);
  }
  let found;
  for (const [start, file] of sourceOf.get(url)) if (start <= line) found = file;
  return found;
}

if (file.endsWith('.heapprofile')) summariseAllocations();
else summariseTime();

function summariseAllocations() {
  // A tree of call stacks, each node with the bytes sampled as allocated in its function itself.
  const byFunction = new Map();
  const byFile = new Map();
  const visit = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = sourceFile(url, lineNumber) ?? (url ? basename(url) : '');
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    byFile.set(where || '(native)', (byFile.get(where || '(native)') ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
  console.log(`${mb(total)} MiB allocated in the whole process (sampled; objects already collected included)\n`);
  for (const [title, table] of [['function', byFunction], ['source file', byFile]]) {
    console.log(`| MiB | % | ${title} |\n|--:|--:|---|`);
    for (const [key, bytes] of [...table].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
      if (bytes > 0) console.log(`| ${mb(bytes)} | ${((100 * bytes) / total).toFixed(1)} | \`${key}\` |`);
    }
    console.log();
  }
}

function summariseTime() {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  // Only the timed round when the bench child left its window beside the profile (window-<pid>.json;
  // profiles are named CPU.<date>.<time>.<pid>.…): module loading, setup and checking are outside the clock.
  const pid = /^CPU\.\d+\.\d+\.(\d+)\./.exec(basename(file))?.[1];
  const windowFile = pid && join(dirname(file), `window-${pid}.json`);
  const window = windowFile && existsSync(windowFile) ? JSON.parse(readFileSync(windowFile, 'utf8')) : undefined;
  // Samples are node ids taken every timeDeltas[i] microseconds, from startTime on.
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.startUs || at > window.endUs)) return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = sourceFile(url, lineNumber) ?? (url ? `${basename(url)}:${lineNumber + 1}` : '');
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  console.log(`${(total / 1000).toFixed(0)} ms sampled${window ? ' in the timed round' : ''}\n`);
  console.log('| self ms | self % | function |\n|--:|--:|---|');
  for (const [key, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`| ${(micros / 1000).toFixed(1)} | ${((100 * micros) / total).toFixed(1)} | \`${key}\` |`);
  }
}
