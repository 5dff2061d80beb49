// StringMatches (ASL spec): "*" matches zero or more characters and nothing else is special; "\*" is a
// literal asterisk and "\\" a literal backslash. A backslash before any other character stands for itself.

/** A pattern as literal runs split at each unescaped `*`: `a*b\*c` → ['a', 'b*c']. */
type Pattern = readonly string[];

// Patterns come from definitions, so there are few of them; parsing each once keeps a large Map cheap.
const parsed = new Map<string, Pattern>();

function parse(pattern: string): Pattern {
  let result = parsed.get(pattern);
  if (result !== undefined) return result;
  const runs: string[] = [];
  let run = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\' && (next === '*' || next === '\\')) {
      run += next;
      i++;
    } else if (c === '*') {
      runs.push(run);
      run = '';
    } else {
      run += c;
    }
  }
  runs.push(run);
  result = runs;
  parsed.set(pattern, result);
  return result;
}

/**
 * Whether `text` matches the whole of `pattern`. The first run anchors the start, the last the end, and
 * each run between takes its earliest occurrence after the previous one: with `*` as the only wildcard
 * that choice is never wrong, so there is no backtracking (a regex of `.*` runs can backtrack badly).
 */
export function matchesWildcard(text: string, pattern: string): boolean {
  const runs = parse(pattern);
  const first = runs[0]!;
  if (runs.length === 1) return text === first;
  const last = runs[runs.length - 1]!;
  if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let position = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < runs.length - 1; i++) {
    const run = runs[i]!;
    const at = text.indexOf(run, position);
    if (at < 0 || at + run.length > end) return false;
    position = at + run.length;
  }
  return true;
}
