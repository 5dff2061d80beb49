// `npm run build`: each Lambda entry point in functions/ → dist/<name>/index.mjs (zip-ready), the
// two local homes → dist/server/main.mjs (`npm start`), dist/server/aws-main.mjs (`npm run start:aws`),
// and the web console → dist/console/ (static files both homes serve at /).
// `node scripts/build.mjs step server` builds just those.
//
// The AWS SDK v3 is bundled, not left to the Lambda runtime's copy: the bundle then runs the very
// SDK version the tests ran (the runtime's lags by months), esbuild keeps only the clients a
// function uses, and the same bundle runs under serverless-offline and LocalStack.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { externalPackagesButBundled } from './esbuild-packages.mjs';

const root = new URL('..', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts'));
const only = process.argv.slice(2);

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(): give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

const jobs = [];
for (const file of functions) {
  const name = basename(file, '.ts');
  if (only.length > 0 && !only.includes(name)) continue;
  jobs.push(build({ ...common, entryPoints: [join(root, 'functions', file)], outfile: join(root, 'dist', name, 'index.mjs'), minify: true, sourcemap: 'linked' }).then(() => name));
}
// The two local homes run from the project (node_modules beside them): dependencies stay external,
// but for the CommonJS ones bundled for a faster start (esbuild-packages.mjs).
for (const [name, entry] of [['server', 'main'], ['server-aws', 'aws-main']]) {
  if (only.length > 0 && !only.includes(name)) continue;
  jobs.push(build({ ...common, entryPoints: [join(root, `lib/server/${entry}.ts`)], outfile: join(root, `dist/server/${entry}.mjs`), plugins: [externalPackagesButBundled] }).then(() => name));
}
// The console: one browser bundle, its page and stylesheet, and ELK's layout worker (run in a Web
// Worker so that a graph slow to place never freezes the page). Nothing is fetched at run time.
if (only.length === 0 || only.includes('console')) {
  const out = join(root, 'dist/console');
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(join(root, 'lib/console/static'))) copyFileSync(join(root, 'lib/console/static', file), join(out, file));
  copyFileSync(join(root, 'node_modules/elkjs/lib/elk-worker.min.js'), join(out, 'elk-worker.min.js'));
  jobs.push(
    build({ entryPoints: [join(root, 'lib/console/main.ts')], outfile: join(out, 'console.js'), bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, sourcemap: 'linked', logLevel: 'warning' }).then(() => 'console'),
  );
}
const built = await Promise.all(jobs);
console.log(`built ${built.join(', ')} into dist/`);
