// `npm run build`: each Lambda entry point in functions/ → dist/<name>/index.mjs (zip-ready), and
// the two local homes → dist/server/main.mjs (`npm start`), dist/server/aws-main.mjs (`npm run start:aws`).
// `node scripts/build.mjs step server` builds just those.
//
// The AWS SDK v3 is bundled, not left to the Lambda runtime's copy: the bundle then runs the very
// SDK version the tests ran (the runtime's lags by months), esbuild keeps only the clients a
// function uses, and the same bundle runs under serverless-offline and LocalStack.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

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
// The two local homes run from the project (node_modules beside them): dependencies stay external.
for (const [name, entry] of [['server', 'main'], ['server-aws', 'aws-main']]) {
  if (only.length > 0 && !only.includes(name)) continue;
  jobs.push(build({ ...common, entryPoints: [join(root, `lib/server/${entry}.ts`)], outfile: join(root, `dist/server/${entry}.mjs`), packages: 'external', banner: {} }).then(() => name));
}
const built = await Promise.all(jobs);
console.log(`built ${built.join(', ')} into dist/`);
