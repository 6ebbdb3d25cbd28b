/**
 * Deep equality of two parsed JSON bodies, reported as the paths where they differ
 * (`articles[3].author.following: api true, baseline false`), so a failed check says what to fix.
 */

export interface Difference {
  path: string;
  actual: unknown;
  expected: unknown;
}

/** Every difference between `actual` and `expected` (up to `max`); empty when they are equal. */
export function differences(actual: unknown, expected: unknown, max = 20): Difference[] {
  const found: Difference[] = [];
  walk(actual, expected, '', found, max);
  return found;
}

function walk(actual: unknown, expected: unknown, path: string, found: Difference[], max: number): void {
  if (found.length >= max) return;
  if (Object.is(actual, expected)) return;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) {
      found.push({ path: `${path || '(body)'}.length`, actual: actual.length, expected: expected.length });
    }
    for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
      walk(actual[i], expected[i], `${path}[${i}]`, found, max);
    }
    return;
  }
  if (isObject(actual) && isObject(expected)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in actual)) found.push({ path: child, actual: '(missing)', expected: expected[key] });
      else if (!(key in expected)) found.push({ path: child, actual: actual[key], expected: '(missing)' });
      else walk(actual[key], expected[key], child, found, max);
      if (found.length >= max) return;
    }
    return;
  }
  found.push({ path: path || '(body)', actual, expected });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line per difference, values shortened. */
export function formatDifferences(list: Difference[], actualName: string, expectedName: string): string {
  const show = (value: unknown) => {
    const json = JSON.stringify(value) ?? String(value);
    return json.length > 100 ? `${json.slice(0, 97)}...` : json;
  };
  return list
    .map(
      ({ path, actual, expected }) => `    ${path}: ${actualName} ${show(actual)}, ${expectedName} ${show(expected)}`,
    )
    .join('\n');
}
