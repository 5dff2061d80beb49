import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ASL_DIR = fileURLToPath(new URL('../../lib/asl', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** lib/asl is the pure core: time, randomness and I/O come in through the step, never from here. */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/from ['"]node:/, 'a Node built-in'],
  [/from ['"]@aws-sdk\//, 'the AWS SDK'],
  [/from ['"]\.\.\/(\.\.\/)?(runtime|adapters|api|server)\//, 'an outer layer'],
  [/\bDate\.now\(/, 'the clock'],
  [/\bnew Date\(\)/, 'the clock'],
  [/\bMath\.random\(/, 'randomness'],
  [/\bsetTimeout\(|\bsetInterval\(/, 'timers'],
];

describe('lib/asl purity', () => {
  it.each(sources(ASL_DIR).map((path) => [path.slice(ASL_DIR.length + 1), path]))('%s reads no clock, randomness or I/O', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const found = FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
    expect(found).toEqual([]);
  });
});
