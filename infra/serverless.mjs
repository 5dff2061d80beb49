// `npm run package` and `npm run deploy`: builds the bundles (scripts/build.mjs), zips them
// (infra/zip-functions.mjs), then runs the Serverless CLI (osls) with the arguments given:
//
//   npm run package [-- --stage dev]                    offline; stage `dev` unless named
//   npm run deploy -- --stage dev --region eu-west-1    the stage is required
//   node infra/serverless.mjs <any serverless command> [options]   e.g. info, remove
//
// The CLI's exit code is this script's.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { zipFunctions } from './zip-functions.mjs';

const root = new URL('..', import.meta.url).pathname;
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node infra/serverless.mjs <package|deploy|info|remove|…> [serverless options]');
  process.exit(2);
}
// Packaging needs no stage of its own; a deploy must name one (serverless.yml: stage: ${opt:stage}).
const namesStage = args.some((a) => a === '--stage' || a === '-s' || a.startsWith('--stage='));
if (command === 'package' && !namesStage) args.push('--stage', 'dev');

if (['package', 'deploy'].includes(command) && !args.includes('--no-build')) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', 'step', 'api', 'start-from-event', 'dead-letter'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  await zipFunctions();
}
const cli = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
const run = spawnSync(process.execPath, [cli, command, ...args.filter((a) => a !== '--no-build')], {
  cwd: root,
  stdio: 'inherit',
  env: { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...process.env },
});
process.exit(run.status ?? 1);
