/**
 * @roadmap testing.unit, databases.full-text-search, security.sql-injection
 * Look at the tsquery text built from terms: each one quoted, the last one a prefix. (The SQL
 * itself runs against a real Postgres in apps/api/test/search-engines.e2e-spec.ts.)
 */
import { parseSearchText } from '../query-text';
import { toTsquery } from './postgres-search-engine';

describe('toTsquery', () => {
  it.each([
    ['rust', "'rust':*"],
    ['rust borrowing', "'rust' & 'borrowing':*"],
    ["x' | y:* & !(zed", "'x' & 'y' & 'zed':*"],
    ['c', "'c'"],
    ['the', ''],
  ])('%j -> %j', (q, tsquery) => {
    expect(toTsquery(parseSearchText(q))).toBe(tsquery);
  });
});
