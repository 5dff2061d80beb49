// `npm run package` / `npm run deploy`, after `npm run build`: zips each Lambda bundle
// dist/<name>/index.mjs (+ its source map) into dist/lambda/<name>.zip, the artifacts serverless.yml
// names (`package.artifact`). Serverless then packages and uploads exactly the bundles the tests ran
// (scripts/build.mjs: esbuild, ESM .mjs, AWS SDK bundled) instead of bundling a second time.
//
// Entries carry a fixed date, so an unchanged bundle gives a byte-identical zip and Serverless skips
// redeploying it. yazl writes the zip (it comes with osls).
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';

const root = new URL('..', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts')).map((f) => basename(f, '.ts'));
const FIXED_DATE = new Date('1980-01-01T00:00:00Z');

/** Zips every dist/<name>/index.mjs into dist/lambda/<name>.zip; returns the names. */
export async function zipFunctions() {
  const out = join(root, 'dist', 'lambda');
  mkdirSync(out, { recursive: true });
  for (const name of functions) {
    const entry = join(root, 'dist', name, 'index.mjs');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    const zip = new yazl.ZipFile();
    zip.addBuffer(readFileSync(entry), 'index.mjs', { mtime: FIXED_DATE, mode: 0o100644 });
    if (existsSync(`${entry}.map`)) zip.addBuffer(readFileSync(`${entry}.map`), 'index.mjs.map', { mtime: FIXED_DATE, mode: 0o100644 });
    zip.end();
    await finished(zip.outputStream.pipe(createWriteStream(join(out, `${name}.zip`))));
  }
  return functions;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  console.log(`zipped ${(await zipFunctions()).join(', ')} into dist/lambda/`);
}
