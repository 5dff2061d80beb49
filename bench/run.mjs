// `npm run bench [-- options]`: Stepwise in-process, the npm peer aws-local-stepfunctions in-process,
// and the local server through @aws-sdk/client-sfn, on the workloads in ../shared/bench/workloads,
// each measurement in a fresh process, several times (Stepwise's and the peer's runs in turn). Options:
//   --runs N          runs per measurement (default 5)
//   --only NAME       only the workloads whose name contains NAME (repeatable)
//   --no-scaling      skip the scaling run (Map at 1k/10k/100k items, 100/1,000/10,000 executions)
//   --no-server       skip the end-to-end server measurement
//   --no-aws-home     skip the AWS home's requests and cost per transition (bench/aws-home.mjs: the Pass
//                     chain over DynamoDB Local and fauxqs, 5 executions; skipped if the emulators are missing)
//   --warmup N        untimed rounds before the timed one in-process (default 0: a cold process)
//   --json FILE       also write the medians as JSON
//   --cpu-prof        write a CPU profile of every Stepwise in-process run to bench/.build/profiles
//   --workloads DIR   read the workloads from DIR instead of ../shared/bench/workloads
//   --scaling-timeout S  seconds a scaling run may take before it is reported as "did not finish" (default 120)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStepwiseBundle, runJsonChild } from './common.mjs';
import { mapScalingWorkload, concurrentScalingWorkload } from './scaling.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const buildDir = join(here, '.build');
const bundle = join(buildDir, 'stepwise.mjs');

const options = parseArgs(process.argv.slice(2));
const workloadDir = options.workloads ?? resolve(root, '../shared/bench/workloads');
if (!existsSync(workloadDir)) {
  console.error(`bench: no workloads at ${workloadDir}.\nThe workloads live in the shared folder beside this repository (../shared/bench/workloads); pass --workloads DIR to point elsewhere.`);
  process.exit(2);
}
const workloadFiles = readdirSync(workloadDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => join(workloadDir, f))
  .filter((file) => options.only.length === 0 || options.only.some((o) => workloadName(file).includes(o)));
if (workloadFiles.length === 0) {
  console.error(`bench: no workload matches ${options.only.join(', ')} in ${workloadDir}`);
  process.exit(2);
}

mkdirSync(buildDir, { recursive: true });
await buildStepwiseBundle(root, bundle);
console.log(`bench: node ${process.version}, ${cpuModel()}, runs ${options.runs}, warmup ${options.warmup}\n`);

let failed = false;
const workloads = [];
for (const file of workloadFiles) {
  const name = workloadName(file);
  const { stepwise, peer } = await measure(['stepwise', 'peer'], file, name);
  const server = options.server ? (await measure(['server'], file, name)).server : undefined;
  workloads.push({ name, type: readJson(file).type, stepwise, peer, server });
}

const scaling = [];
if (options.scaling) {
  const dir = join(buildDir, 'workloads');
  mkdirSync(dir, { recursive: true });
  const points = [
    ...[1_000, 10_000, 100_000].map((n) => mapScalingWorkload(readJson(join(workloadDir, 'map-10k-format.json')), n)),
    ...[100, 1_000, 10_000].map((n) => concurrentScalingWorkload(readJson(join(workloadDir, 'concurrent-1000-parallel.json')), n)),
  ];
  const runs = Math.min(options.runs, 3);
  for (const point of points) {
    const file = join(dir, `${point.name}.json`);
    writeFileSync(file, JSON.stringify(point));
    const limit = { timeoutMs: options.scalingTimeout * 1000, transitions: point.expectedTransitions };
    scaling.push({ name: point.name, transitions: point.expectedTransitions, ...(await measure(['stepwise', 'peer'], file, point.name, runs, limit)) });
  }
}

// The AWS home runs the Pass chain: skipped when --only leaves it out.
const awsHome = options.awsHome && workloads.some((w) => w.name.startsWith('pass-chain')) ? await measureAwsHome() : undefined;

printTables(workloads, scaling);
if (awsHome?.text) console.log(`\nAWS home: requests and cost per transition (bench/aws-home.mjs)\n${awsHome.text}`);
if (options.json) {
  writeFileSync(options.json, `${JSON.stringify(jsonReport(workloads, scaling, awsHome?.result ?? null), null, 2)}\n`);
  console.log(`\nbench: wrote ${options.json}`);
}
if (failed) {
  console.error('\nbench: FAILED: a measurement computed a wrong answer or crashed (see above)');
  process.exit(1);
}

// ---

/**
 * bench/aws-home.mjs in its own process. 5 executions rather than its default 20: each execution of
 * the chain does the same requests, so the figures per transition are the same, in a quarter of the time.
 */
async function measureAwsHome() {
  progress('aws-home pass-chain-1000');
  const file = join(buildDir, 'aws-home.json');
  const args = [join(here, 'aws-home.mjs'), '--executions', '5', '--json', file, '--workloads', workloadDir];
  const { code, out, err } = await new Promise((resolvePromise) => {
    const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    proc.stderr.on('data', (chunk) => (err += chunk));
    proc.on('close', (code, signal) => resolvePromise({ code: code ?? signal, out, err }));
  });
  progress('');
  if (code === 2) {
    // Emulators missing (a plain clone without `node scripts/ensure-emulators.mjs`): not a wrong answer.
    console.log(`aws-home: skipped: ${err.trim().split('\n')[0]}`);
    return undefined;
  }
  if (code !== 0) {
    failed = true;
    console.error(`\naws-home: ${err.trim() || `exited ${code}`}`);
    return undefined;
  }
  // Its own header line is dropped: the tables follow.
  return { result: readJson(file), text: out.trim().split('\n').slice(1).filter((l) => !l.startsWith('aws-home: wrote')).join('\n').trim() };
}

/**
 * `runs` runs of each subject on one workload, the subjects in turn (one run of each, then again):
 * a shared machine slows down and speeds up for minutes at a time, and runs taken in turn meet those
 * spells alike, so that the ratio of their medians holds. Each subject's figures, by subject.
 */
async function measure(subjects, file, name, runs = options.runs, limit = undefined) {
  const results = Object.fromEntries(subjects.map((subject) => [subject, []]));
  const ended = {};
  for (let run = 1; run <= runs; run++) {
    for (const subject of subjects) {
      if (ended[subject]) continue;
      progress(`${subject.padEnd(8)} ${name} run ${run}/${runs}`);
      const result = await child(subject, file, limit?.timeoutMs);
      if (result.timedOut && limit) {
        // Too slow to finish is a result of a scaling run, not a wrong answer: at most this fast.
        progress('');
        console.log(`${subject} ${name}: did not finish within ${limit.timeoutMs / 1000} s`);
        ended[subject] = { timedOut: true, tpsBelow: (limit.transitions / limit.timeoutMs) * 1000, runs: results[subject] };
      } else if (!result.ok) {
        failed = true;
        console.error(`\n${subject} ${name} run ${run}: ${result.error}`);
        ended[subject] = { failed: true, runs: results[subject] };
      } else results[subject].push(result);
    }
  }
  progress('');
  return Object.fromEntries(subjects.map((subject) => [subject, ended[subject] ?? figures(subject, results[subject])]));
}

/** A subject's figures from its runs: min, median and max of each. */
function figures(subject, results) {
  return {
    tps: stats(results.map((r) => r.tps)),
    rssMiB: stats(results.map((r) => r.rssMiB)),
    // CPU time of the timed round (all the process's threads: JIT compilers and GC helpers too). On a
    // shared machine it moves less than wall time, which waits whenever others hold the cores.
    ...(results.every((r) => typeof r.cpuMs === 'number') ? { cpuMs: stats(results.map((r) => r.cpuMs)) } : {}),
    ...(subject === 'server'
      ? {
          eps: stats(results.map((r) => r.eps)),
          transitionsChecked: results.every((r) => r.transitionsChecked),
          // What bounds the figure: the same client against a server that does no work, and the server's own CPU.
          ...(results.every((r) => typeof r.ceilingEps === 'number') ? { ceilingEps: stats(results.map((r) => r.ceilingEps)) } : {}),
          serverCpuMsPerExecution: stats(results.map((r) => r.serverCpuMs / r.executions)),
        }
      : {}),
    runs: results,
  };
}

function child(subject, file, timeoutMs = 15 * 60_000) {
  const script = join(here, `${subject}-child.mjs`);
  const nodeArgs = subject === 'stepwise' && options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(buildDir, 'profiles')}`] : [];
  const args = [...nodeArgs, script, file, bundle, ...(subject === 'server' ? [] : ['--warmup', String(options.warmup)])];
  return runJsonChild(args, root, timeoutMs);
}

function progress(text) {
  if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(process.stdout.columns - 1)}\r`);
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

function printTables(workloads, scaling) {
  const k = (n) => (n === undefined ? '-' : n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n)}`);
  const spread = (s) => (s ? `${k(s.min)} / ${k(s.median)} / ${k(s.max)}` : 'FAILED');
  const mib = (s) => (s ? `${Math.round(s.median)}` : '-');
  const scaled = (m) => (m.timedOut ? `< ${k(m.tpsBelow)} (unfinished in ${options.scalingTimeout} s)` : k(m.tps?.median));
  const ratio = (a, b) => (a?.tps && b?.tps ? `${(a.tps.median / b.tps.median).toFixed(2)}x` : '-');
  const cpuRatio = (a, b) => (a?.cpuMs && b?.cpuMs ? `${(b.cpuMs.median / a.cpuMs.median).toFixed(2)}x` : '-');
  const rows = [
    ['workload', 'Stepwise tps (min / median / max)', 'peer tps (min / median / max)', 'Stepwise / peer', 'by CPU time', 'RSS MiB Stepwise', 'RSS MiB peer'],
    ...workloads.map((w) => [w.name, spread(w.stepwise.tps), spread(w.peer.tps), ratio(w.stepwise, w.peer), cpuRatio(w.stepwise, w.peer), mib(w.stepwise.rssMiB), mib(w.peer.rssMiB)]),
  ];
  console.log('In-process, transitions per second (tps); ratio of medians (by wall time, and by the CPU time of the timed round: peer / Stepwise); peak RSS median\n');
  console.log(markdownTable(rows));
  if (workloads.some((w) => w.server)) {
    const serverRows = [
      ['workload', 'type', 'executions/s (min / median / max)', 'tps (min / median / max)', 'client ceiling, executions/s (median)', 'server CPU ms per execution (median)', 'server RSS MiB', 'history checked'],
      ...workloads
        .filter((w) => w.server)
        .map((w) => [
          w.name,
          w.type,
          spread(w.server.eps),
          spread(w.server.tps),
          w.server.ceilingEps ? k(w.server.ceilingEps.median) : '-',
          w.server.serverCpuMsPerExecution ? w.server.serverCpuMsPerExecution.median.toFixed(3) : '-',
          mib(w.server.rssMiB),
          w.server.failed ? '-' : w.server.transitionsChecked ? 'yes' : 'output only',
        ]),
    ];
    console.log('\nLocal server end to end (@aws-sdk/client-sfn; STANDARD: StartExecution + DescribeExecution polling; EXPRESS: StartSyncExecution).');
    console.log('Client ceiling: the same client and rounds against bench/canned-server.mjs, which does no work.\n');
    console.log(markdownTable(serverRows));
  }
  if (scaling.length > 0) {
    const scalingRows = [
      ['scaling point', 'transitions', 'Stepwise tps (median)', 'Stepwise RSS MiB', 'peer tps (median)', 'peer RSS MiB', 'Stepwise / peer'],
      ...scaling.map((s) => [s.name, `${s.transitions}`, scaled(s.stepwise), mib(s.stepwise.rssMiB), scaled(s.peer), mib(s.peer.rssMiB), s.peer.timedOut && s.stepwise.tps ? `> ${(s.stepwise.tps.median / s.peer.tpsBelow).toFixed(0)}x` : ratio(s.stepwise, s.peer)]),
    ];
    console.log('\nScaling (in-process)\n');
    console.log(markdownTable(scalingRows));
  }
}

function markdownTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function jsonReport(workloads, scaling, awsHome) {
  const median = (m) => m?.tps?.median ?? null;
  const concurrent = workloads.find((w) => w.name.startsWith('concurrent'))?.server;
  return {
    machine: { node: process.version, cpu: cpuModel() },
    runs: options.runs,
    workloads: workloads.map((w) => ({
      name: w.name,
      stepwiseTps: median(w.stepwise),
      peerTps: median(w.peer),
      ratio: median(w.stepwise) && median(w.peer) ? median(w.stepwise) / median(w.peer) : null,
      stepwiseCpuMs: w.stepwise.cpuMs?.median ?? null,
      peerCpuMs: w.peer.cpuMs?.median ?? null,
      stepwiseRssMiB: w.stepwise.rssMiB?.median ?? null,
      peerRssMiB: w.peer.rssMiB?.median ?? null,
      ...(w.server
        ? {
            server: {
              executionsPerSecond: w.server.eps?.median ?? null,
              transitionsPerSecond: median(w.server),
              rssMiB: w.server.rssMiB?.median ?? null,
              clientCeilingExecutionsPerSecond: w.server.ceilingEps?.median ?? null,
              serverCpuMsPerExecution: w.server.serverCpuMsPerExecution?.median ?? null,
            },
          }
        : {}),
    })),
    // The issue's server target is about the concurrent STANDARD workload.
    server: {
      executionsPerSecond: concurrent?.eps?.median ?? null,
      workload: concurrent ? 'concurrent-1000-parallel' : null,
      // The most executions/s the same client drives on this machine (a server that does no work), and
      // the server's CPU per execution: 1000 / it is what one server core would sustain.
      clientCeilingExecutionsPerSecond: concurrent?.ceilingEps?.median ?? null,
      serverCpuMsPerExecution: concurrent?.serverCpuMsPerExecution?.median ?? null,
    },
    // bench/aws-home.mjs's report (requestsPerTransition, usdPerMillionTransitions, breakdown), or null when skipped.
    awsHome,
    ...(scaling.length > 0
      ? {
          scaling: scaling.map((s) => ({
            name: s.name,
            transitions: s.transitions,
            stepwiseTps: median(s.stepwise),
            stepwiseRssMiB: s.stepwise.rssMiB?.median ?? null,
            peerTps: median(s.peer),
            peerRssMiB: s.peer.rssMiB?.median ?? null,
            ...(s.stepwise.timedOut ? { stepwiseUnfinishedWithinSeconds: options.scalingTimeout } : {}),
            ...(s.peer.timedOut ? { peerUnfinishedWithinSeconds: options.scalingTimeout } : {}),
          })),
        }
      : {}),
  };
}

function parseArgs(argv) {
  const parsed = { scalingTimeout: 120, runs: 5, only: [], scaling: true, server: true, awsHome: true, warmup: 0, json: undefined, cpuProf: false, workloads: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--runs') parsed.runs = positive(value(), arg);
    else if (arg === '--only') parsed.only.push(value());
    else if (arg === '--no-scaling') parsed.scaling = false;
    else if (arg === '--no-server') parsed.server = false;
    else if (arg === '--no-aws-home') parsed.awsHome = false;
    else if (arg === '--help' || arg === '-h') usage();
    else if (arg === '--warmup') parsed.warmup = Number(value());
    else if (arg === '--json') parsed.json = resolve(value());
    else if (arg === '--cpu-prof') parsed.cpuProf = true;
    else if (arg === '--workloads') parsed.workloads = resolve(value());
    else if (arg === '--scaling-timeout') parsed.scalingTimeout = positive(value(), arg);
    else usage(`unknown option ${arg}`);
  }
  return parsed;
}

function positive(text, arg) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`${arg} needs a positive integer`);
  return n;
}

function usage(message) {
  const text = 'usage: npm run bench -- [--runs N] [--only NAME] [--no-scaling] [--no-server] [--no-aws-home] [--warmup N] [--json FILE] [--cpu-prof] [--workloads DIR] [--scaling-timeout S]';
  if (message === undefined) {
    console.log(text);
    process.exit(0);
  }
  console.error(`bench: ${message}\n${text}`);
  process.exit(2);
}

function workloadName(file) {
  return readJson(file).name;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function cpuModel() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? 'unknown CPU';
    const cores = (info.match(/^processor\s*:/gm) ?? []).length;
    return `${model}, ${cores} cores`;
  } catch {
    return 'unknown CPU';
  }
}
