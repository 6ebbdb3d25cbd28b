import { loadConfig } from '@capstone/config';
import { DatabaseConnection } from './database-connection';
import { lsnToNumber, ReplicaReads } from './replica-reads';
import type { Sql } from './sql';

describe('lsnToNumber', () => {
  it('orders WAL positions as Postgres does, across the 32-bit halves', () => {
    expect(lsnToNumber('0/16B3748')).toBe(0x16b3748);
    expect(lsnToNumber('1/0')).toBe(2 ** 32);
    expect(lsnToNumber('1/0')).toBeGreaterThan(lsnToNumber('0/FFFFFFFF'));
    expect(lsnToNumber('16/B374D848')).toBeGreaterThan(lsnToNumber('16/B374D847'));
  });
});

describe('ReplicaReads without DATABASE_REPLICA_URL', () => {
  const config = loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/unused' });
  const texts: string[] = [];
  const primary = { rows: async (text: string) => (texts.push(text), [{ lsn: '0/1' }]) } as unknown as Sql;
  const reads = new ReplicaReads(DatabaseConnection.forServer(config), primary);

  it('sends every read to the primary, reports no replica, and costs writes nothing', async () => {
    expect(reads.configured).toBe(false);
    await reads.wrote(1);
    expect(texts).toEqual([]);
    await reads.forActor(1).rows('SELECT 1');
    await reads.forActor().rows('SELECT 2');
    await (await reads.forSharedCache()).rows('SELECT 3');
    expect(texts).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
    expect(await reads.health()).toBeUndefined();
  });
});
