/**
 * @roadmap apis.error-handling, databases.constraints, testing.integration
 * Look at each database failure produced for real, through Prisma Client, @prisma/adapter-pg and
 * Postgres, and the domain error translateDatabaseError makes of it: the unit test builds the same
 * shapes by hand, this test proves they are the shapes the driver really throws.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, pgPoolConfigFromUrl, type PrismaClient } from '@capstone/database';
import {
  ConflictError,
  InvalidInputError,
  UnavailableError,
  type DomainError,
} from '../src/common/errors/domain-errors';
import { translateDatabaseError } from '../src/database/database-errors';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';

/** Runs `action`, expects it to fail, and returns what translateDatabaseError makes of the failure. */
async function translated(action: () => Promise<unknown>): Promise<DomainError | undefined> {
  try {
    await action();
  } catch (error) {
    return translateDatabaseError(error);
  }
  throw new Error('expected the database to refuse');
}

const unique = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;

describe('database failures through the real driver', () => {
  let prisma: PrismaClient;
  beforeAll(() => {
    prisma = createPrismaClient(process.env.DATABASE_URL!, { maxConnections: 2, statementTimeoutMs: 200 });
  });
  afterAll(() => prisma.$disconnect());

  describe('values Postgres cannot store: InvalidInputError on request', () => {
    it('a NUL character in a text parameter (22021)', async () => {
      const error = await translated(() => prisma.user.findFirst({ where: { username: 'a\u0000b' } }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error?.details.request[0]).toMatch(/character the database cannot store/);
    });

    it('a NUL character in a value written (22021)', async () => {
      const error = await translated(() => prisma.tag.create({ data: { name: 'nul\u0000tag' } }));
      expect(error).toBeInstanceOf(InvalidInputError);
    });

    it('an integer beyond int4 (22003, P2020)', async () => {
      const error = await translated(() => prisma.user.findUnique({ where: { id: 2 ** 31 } }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error?.details.request[0]).toMatch(/number outside the range/);
    });

    it('a value too long for its btree index (54000)', async () => {
      // ~32 kB of incompressible text: a btree entry may take at most a third of an 8 kB page.
      const name = randomBytes(16_000).toString('hex');
      const error = await translated(() => prisma.tag.create({ data: { name } }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error?.details.request[0]).toMatch(/too long to store/);
    });
  });

  describe('case-insensitive identity (citext, CHECK)', () => {
    it('refuses a username that differs from a taken one only in case: a conflict on username', async () => {
      const name = unique('Race');
      await prisma.user.create({
        data: { username: name, email: `${name.toLowerCase()}@example.com`, passwordHash: 'x' },
      });
      const error = await translated(() =>
        prisma.user.create({
          data: { username: name.toUpperCase(), email: `${name.toLowerCase()}-2@example.com`, passwordHash: 'x' },
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error?.details).toEqual({ username: ['has already been taken'] });
    });

    it('finds a user by username whatever the case', async () => {
      const name = unique('Jake');
      await prisma.user.create({
        data: { username: name, email: `${name.toLowerCase()}@example.com`, passwordHash: 'x' },
      });
      const found = await prisma.user.findUnique({ where: { username: name.toUpperCase() } });
      expect(found?.username).toBe(name);
    });

    it('refuses an email that is not lower-case (a bug in the caller: left unexpected, 500)', async () => {
      const name = unique('upper');
      const error = await translated(() =>
        prisma.user.create({ data: { username: name, email: `${name.toUpperCase()}@Example.com`, passwordHash: 'x' } }),
      );
      expect(error).toBeUndefined();
      expect(await prisma.user.findUnique({ where: { username: name } })).toBeNull();
    });
  });

  describe('transient failures: UnavailableError', () => {
    it('a statement past statement_timeout (57014)', async () => {
      const error = await translated(() => prisma.$queryRaw`SELECT pg_sleep(10)`);
      expect(error).toBeInstanceOf(UnavailableError);
    });

    it('a server that refuses the connection (P1001)', async () => {
      const nowhere = createPrismaClient('postgresql://postgres@127.0.0.1:1/none', { poolTimeoutMs: 1_000 });
      try {
        expect(await translated(() => nowhere.user.findFirst())).toBeInstanceOf(UnavailableError);
      } finally {
        await nowhere.$disconnect();
      }
    });

    it('a pool with every connection taken (pg-pool acquire timeout)', async () => {
      const small = createPrismaClient(process.env.DATABASE_URL!, { maxConnections: 1, poolTimeoutMs: 200 });
      let finish!: () => void;
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const transaction = small.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          holding();
          await new Promise<void>((resolve) => (finish = resolve));
        },
        { timeout: 30_000 },
      );
      try {
        await held;
        expect(await translated(() => small.user.findFirst())).toBeInstanceOf(UnavailableError);
        expect(await translated(() => small.$transaction([small.user.count()]))).toBeInstanceOf(UnavailableError);
      } finally {
        finish();
        await transaction;
        await small.$disconnect();
      }
    });

    describe('with a table locked by another session', () => {
      let scratch: ScratchDatabase;
      let locker: Client;
      let client: PrismaClient;
      beforeAll(async () => {
        scratch = await createScratchDatabase('errors_lock', 'migrated');
        client = createPrismaClient(scratch.url, { lockTimeoutMs: 100 });
        locker = new Client(pgPoolConfigFromUrl(scratch.url));
        await locker.connect();
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE articles IN ACCESS EXCLUSIVE MODE');
      });
      afterAll(async () => {
        await locker?.query('ROLLBACK');
        await locker?.end();
        await client?.$disconnect();
        await scratch?.drop();
      });

      it.each<[string, (prisma: PrismaClient) => Promise<unknown>]>([
        ['a model query (unwrapped DriverAdapterError, 55P03)', (p) => p.article.findMany({ take: 1 })],
        ['a raw query (P2010, 55P03)', (p) => p.$queryRaw`SELECT count(*) FROM articles`],
        ['a batch transaction', (p) => p.$transaction([p.article.count(), p.article.findMany({ take: 1 })])],
        ['an interactive transaction', (p) => p.$transaction((tx) => tx.article.count())],
      ])('a lock timeout in %s', async (_name, action) => {
        expect(await translated(() => action(client))).toBeInstanceOf(UnavailableError);
      });
    });
  });
});
