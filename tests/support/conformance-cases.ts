import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the project root: present on CI, absent in a user's clone. */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const CASES_DIR = join(SHARED_DIR, 'conformance/cases');

export interface ConformanceCase {
  id: string;
  category: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: Record<string, unknown>;
  definitionText?: string;
  input?: unknown;
  inputText?: string;
  expected: {
    status?: string;
    output?: unknown;
    error?: string | null;
    cause?: string | null;
    causeJson?: unknown;
    createError?: string;
  };
  expectedEventTypes?: string[];
  file: string;
}

/** Whether the recorded cases are here; on CI (CI=true) their absence is an error, not a skip. */
export function haveConformanceCases(): boolean {
  if (existsSync(CASES_DIR)) return true;
  if (process.env['CI'] === 'true') throw new Error(`CI=true but ${CASES_DIR} is missing: clone ../shared beside the project`);
  console.warn(`skipping conformance-based tests: ${CASES_DIR} not found (it exists on CI)`);
  return false;
}

export function loadConformanceCases(filter?: (c: ConformanceCase) => boolean): ConformanceCase[] {
  if (!existsSync(CASES_DIR)) return [];
  const cases: ConformanceCase[] = [];
  for (const file of readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as ConformanceCase;
    c.file = file;
    if (!filter || filter(c)) cases.push(c);
  }
  return cases;
}
